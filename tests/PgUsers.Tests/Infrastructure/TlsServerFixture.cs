using System.Diagnostics;

namespace PgUsers.Tests.Infrastructure;

/// <summary>
/// A sandbox server of its own (the shared one stays without TLS) with ssl=on and a certificate for
/// 'localhost' signed by <see cref="Ca"/>; <see cref="OtherCa"/> is an unrelated CA. Like every sandbox it
/// listens on 127.0.0.1 only. Certificates are made by openssl in a temp folder, deleted with the fixture.
/// </summary>
public sealed class TlsServerFixture : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pgusers-tls-").FullName;
    private readonly Pwsh _shell = new();
    private readonly Uri _url;

    public TlsServerFixture()
    {
        try
        {
            Ca = MakeCa("ca", "PgUsers Test CA");
            OtherCa = MakeCa("other-ca", "Unrelated Test CA");
            string certificate = Path.Combine(_folder, "server.crt");
            string key = Path.Combine(_folder, "server.key");
            OpenSsl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=localhost",
                "-keyout", key, "-out", Path.Combine(_folder, "server.csr"));
            File.WriteAllText(Path.Combine(_folder, "server.ext"), "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
            OpenSsl("x509", "-req", "-in", Path.Combine(_folder, "server.csr"), "-CA", Ca, "-CAkey", Path.Combine(_folder, "ca.key"),
                "-CAcreateserial", "-days", "2", "-extfile", Path.Combine(_folder, "server.ext"), "-out", certificate);
            _url = new Uri(((string)Pwsh.Unwrap(_shell.Run("$s = Start-DbSandbox; $s.Url.RenderAsString($false)")[0])!).Replace("postgresql://", "http://"));
            EnableSsl((string)Pwsh.Unwrap(_shell.Run("$s.Directory")[0])!, certificate, key);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The CA that signed the server's certificate (a PEM file).</summary>
    public string Ca { get; }

    /// <summary>A CA that signed nothing of the server's.</summary>
    public string OtherCa { get; }

    /// <summary>The admin password, which no message may show.</summary>
    public string Password => Uri.UnescapeDataString(_url.UserInfo.Split(':', 2)[1]);

    /// <summary>The server's URL string with <paramref name="host"/> (localhost, 127.0.0.1) and the query options.</summary>
    public string Url(string host, string query) => $"postgresql://{_url.UserInfo}@{host}:{_url.Port}{_url.AbsolutePath}?{query}";

    /// <summary>A folder of the fixture's, for a test's own files (an empty HOME).</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;

    private string MakeCa(string name, string commonName)
    {
        string file = Path.Combine(_folder, name + ".crt");
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + commonName,
            "-keyout", Path.Combine(_folder, name + ".key"), "-out", file);
        return file;
    }

    /// <summary>
    /// ssl=on takes a reload, not a restart. The server's files must be its own: owned by postgres when we
    /// are root (the sandbox runs the server as postgres then), the key readable by it alone.
    /// </summary>
    private void EnableSsl(string directory, string certificate, string key)
    {
        string serverCertificate = Path.Combine(directory, "server.crt");
        string serverKey = Path.Combine(directory, "server.key");
        File.Copy(certificate, serverCertificate);
        File.Copy(key, serverKey);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(serverKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (Environment.UserName == "root") Run("chown", "postgres:", serverCertificate, serverKey);
        _shell.Set("certificate", serverCertificate).Set("key", serverKey).Run("""
            $admin = New-DbEngine $s.Url -Name tlsadmin -PoolSize 1
            Invoke-DbQuery "ALTER SYSTEM SET ssl_cert_file = '$certificate'" -Engine $admin
            Invoke-DbQuery "ALTER SYSTEM SET ssl_key_file = '$key'" -Engine $admin
            Invoke-DbQuery 'ALTER SYSTEM SET ssl = on' -Engine $admin
            Invoke-DbQuery 'SELECT pg_reload_conf()' -Engine $admin | Out-Null
            Remove-DbEngine $admin
            """);
        // The postmaster reloads in its own time: wait until a new connection can ask for TLS.
        _shell.Set("required", Url(_url.Host, "sslmode=require")).Run("""
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($true) {
                $probe = New-DbEngine $required -Name tlsprobe -PoolSize 1
                try { if (Invoke-DbQuery 'SELECT 1' -Scalar -Engine $probe -ErrorAction Stop) { break } }
                catch { if ([DateTime]::UtcNow -gt $deadline) { throw } }
                finally { Remove-DbEngine $probe }
                Start-Sleep -Milliseconds 100
            }
            """);
    }

    private void OpenSsl(params string[] arguments) => Run("openssl", arguments);

    private static void Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(" ", arguments)} failed ({process.ExitCode}): {error.Result}");
    }

    public void Dispose()
    {
        // Invoke, not Run: cleaning up after a failed start must not throw over the reason it failed.
        _shell.Invoke("Get-DbEngine | Remove-DbEngine; Stop-DbSandbox");
        _shell.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
