using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace PgUsers.Internal;

/// <summary>What PgUsers keeps per runspace: its default engine, the engines and sandboxes it made.</summary>
internal sealed class RunspaceState
{
    private static readonly ConditionalWeakTable<Runspace, RunspaceState> s_states = new();
    private static readonly RunspaceState s_noRunspace = new();
    private readonly object _gate = new();
    private readonly List<DbEngine> _engines = new();
    private readonly List<DbSandbox> _sandboxes = new();
    private readonly List<DbSession> _sessions = new();
    // Engines made for a URL given to -Engine, one per URL (password included in the key, never shown).
    private readonly Dictionary<string, DbEngine> _urlEngines = new(StringComparer.Ordinal);
    private int _urlEngineCount;

    /// <summary>The state of the runspace running on this thread.</summary>
    public static RunspaceState Current =>
        Runspace.DefaultRunspace is { } runspace ? s_states.GetValue(runspace, _ => new RunspaceState()) : s_noRunspace;

    /// <summary>The newest live engine made in this runspace.</summary>
    public DbEngine? DefaultEngine
    {
        get
        {
            lock (_gate)
            {
                return _engines.LastOrDefault(e => !e.IsDisposed);
            }
        }
    }

    /// <summary>Sessions made ambient by Use-DbSession, innermost last.</summary>
    public Stack<DbSession> AmbientSessions { get; } = new();

    public IReadOnlyList<DbEngine> Engines
    {
        get
        {
            lock (_gate)
            {
                _engines.RemoveAll(e => e.IsDisposed);
                return _engines.ToArray();
            }
        }
    }

    public void AddEngine(DbEngine engine)
    {
        lock (_gate) _engines.Add(engine);
    }

    /// <summary>
    /// The engine for a URL passed to -Engine: made with the default settings on first use, then shared
    /// by every later call in this runspace. It does not become the default engine.
    /// </summary>
    public DbEngine EngineFor(DbUrl url)
    {
        if (url.Problem is { } problem) throw problem;
        string key = url.RenderAsString(hidePassword: false);
        lock (_gate)
        {
            if (_urlEngines.TryGetValue(key, out var known) && !known.IsDisposed) return known;
            var settings = PoolSettings.Defaults("url" + (++_urlEngineCount));
            var engine = new DbEngine(url, settings, Driver.Instance.CreatePool(url, settings));
            _urlEngines[key] = engine;
            return engine;
        }
    }

    /// <summary>Remembers an object-form session so module removal can return its connection.</summary>
    public void AddSession(DbSession session)
    {
        lock (_gate)
        {
            _sessions.RemoveAll(s => !s.IsActive);
            _sessions.Add(session);
        }
    }

    public void AddSandbox(DbSandbox sandbox)
    {
        lock (_gate) _sandboxes.Add(sandbox);
    }

    public IReadOnlyList<DbSandbox> Sandboxes
    {
        get
        {
            lock (_gate)
            {
                _sandboxes.RemoveAll(s => !s.IsRunning);
                return _sandboxes.ToArray();
            }
        }
    }

    /// <summary>Module removal: dispose what this runspace made.</summary>
    public void DisposeAll()
    {
        DbEngine[] engines;
        DbSandbox[] sandboxes;
        DbSession[] sessions;
        lock (_gate)
        {
            sessions = _sessions.ToArray();
            _sessions.Clear();
            engines = _engines.Concat(_urlEngines.Values).ToArray();
            _urlEngines.Clear();
            sandboxes = _sandboxes.ToArray();
            _engines.Clear();
            _sandboxes.Clear();
        }
        // Sessions first: their connections roll back and go home before the pools close.
        foreach (var session in sessions) session.Dispose();
        foreach (var engine in engines) engine.Dispose();
        foreach (var sandbox in sandboxes) sandbox.Dispose();
    }
}
