using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace PgUsers.Engine;

/// <summary>What PgUsers keeps per runspace: its default engine, the engines and sandboxes it made.</summary>
internal sealed class RunspaceState
{
    private static readonly ConditionalWeakTable<Runspace, RunspaceState> s_states = new();
    private static readonly RunspaceState s_noRunspace = new();
    private readonly object _gate = new();
    private readonly List<DbEngine> _engines = new();
    private readonly List<DbSandbox> _sandboxes = new();
    // Weak: a session nobody holds any more is collected, and its finalizer returns its connection.
    private readonly List<WeakReference<DbSession>> _sessions = new();
    // Engines made for a URL given to -Engine, one per URL (password included in the key, never shown).
    private readonly Dictionary<string, DbEngine> _urlEngines = new(StringComparer.Ordinal);
    private int _urlEngineCount;

    /// <summary>The state of the runspace running on this thread.</summary>
    public static RunspaceState Current =>
        Runspace.DefaultRunspace is { } runspace ? s_states.GetValue(runspace, Create) : s_noRunspace;

    private static RunspaceState Create(Runspace runspace)
    {
        var state = new RunspaceState();
        // A closed runspace's sessions would hold their connections (and locks) forever: return them.
        runspace.StateChanged += (_, e) =>
        {
            if (e.RunspaceStateInfo.State is System.Management.Automation.Runspaces.RunspaceState.Closed
                or System.Management.Automation.Runspaces.RunspaceState.Broken)
            {
                state.Close();
            }
        };
        return state;
    }

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
            _sessions.RemoveAll(s => !s.TryGetTarget(out var live) || !live.IsActive);
            _sessions.Add(new WeakReference<DbSession>(session));
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

    /// <summary>
    /// The runspace closed or broke: roll back its open sessions (cancelling a statement still running in one) and
    /// return their connections, and close the engines
    /// made for URLs given to -Engine (nothing outside this runspace can reach them). Engines from
    /// New-DbEngine stay: other runspaces may share them.
    /// </summary>
    private void Close()
    {
        DbEngine[] engines;
        lock (_gate)
        {
            engines = _urlEngines.Values.ToArray();
            _urlEngines.Clear();
        }
        foreach (var session in TakeSessions()) session.Abort();
        foreach (var engine in engines) engine.Dispose();
    }

    private DbSession[] TakeSessions()
    {
        lock (_gate)
        {
            var sessions = _sessions.Select(s => s.TryGetTarget(out var live) ? live : null).OfType<DbSession>().ToArray();
            _sessions.Clear();
            return sessions.Concat(AmbientSessions).ToArray();
        }
    }

    /// <summary>Module removal: dispose what this runspace made.</summary>
    public void DisposeAll()
    {
        DbEngine[] engines;
        DbSandbox[] sandboxes;
        var sessions = TakeSessions();
        lock (_gate)
        {
            engines = _engines.Concat(_urlEngines.Values).ToArray();
            _urlEngines.Clear();
            sandboxes = _sandboxes.ToArray();
            _engines.Clear();
            _sandboxes.Clear();
        }
        // Sessions first: their connections roll back and go home before the pools close.
        foreach (var session in sessions) session.Abort();
        foreach (var engine in engines) engine.Dispose();
        foreach (var sandbox in sandboxes) sandbox.Dispose();
    }
}
