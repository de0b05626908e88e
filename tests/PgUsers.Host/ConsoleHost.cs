using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace PgUsers.Host;

/// <summary>A minimal PSHost whose UI writes to the console, so Out-Default renders format views.</summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly ConsoleUI _ui = new();

    public override string Name => "PgUsers.Host";
    public override Version Version => new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public int ExitCode { get; private set; }

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}

internal sealed class ConsoleUI : PSHostUserInterface
{
    private readonly ConsoleRawUI _raw = new();

    public override PSHostRawUserInterface RawUI => _raw;
    // Escape codes only when a terminal will interpret them, not in a log or a pipe.
    public override bool SupportsVirtualTerminal => !Console.IsOutputRedirected;
    private static readonly System.Text.RegularExpressions.Regex s_escapes = new("\x1b\\[[0-9;]*m", System.Text.RegularExpressions.RegexOptions.Compiled);

    // The formatter emits escape codes whatever OutputRendering says; a log or a pipe gets plain text.
    private static string Plain(string value) => Console.IsOutputRedirected ? s_escapes.Replace(value, "") : value;

    public override void Write(string value) => Console.Write(Plain(value));
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Write(Plain(value));
    public override void WriteLine(string value) => Console.WriteLine(Plain(value));
    public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);
    public override void WriteDebugLine(string message) => Console.WriteLine("DEBUG: " + message);
    public override void WriteVerboseLine(string message) => Console.WriteLine("VERBOSE: " + message);
    public override void WriteWarningLine(string message) => Console.WriteLine("WARNING: " + message);
    public override void WriteProgress(long sourceId, ProgressRecord record) { }
    public override string ReadLine() => Console.ReadLine() ?? "";
    public override System.Security.SecureString ReadLineAsSecureString() => throw new NotSupportedException("No interactive input in this host.");
    public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions)
        => throw new NotSupportedException("No interactive input in this host.");
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
        => throw new NotSupportedException("No interactive input in this host.");
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        => throw new NotSupportedException("No interactive input in this host.");
    public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
        => defaultChoice;
}

internal sealed class ConsoleRawUI : PSHostRawUserInterface
{
    // A real width: without one, tables wrap one character per line.
    public override Size BufferSize { get; set; } = new(160, 3000);
    public override Size WindowSize { get; set; } = new(160, 50);
    public override Size MaxWindowSize => new(160, 50);
    public override Size MaxPhysicalWindowSize => new(160, 50);
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override Coordinates CursorPosition { get; set; }
    public override Coordinates WindowPosition { get; set; }
    public override int CursorSize { get; set; }
    public override string WindowTitle { get; set; } = "PgUsers";
    public override bool KeyAvailable => false;
    public override void FlushInputBuffer() { }
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
}
