using System.Management.Automation;

namespace PgUsers.Engine;

/// <summary>Which engine a command uses: the one it was given (or its session's), else the runspace's default.</summary>
internal static class EngineChoice
{
    /// <summary>
    /// The engine to use; null, with the error to write, when there is none or it was removed. The engine's warning
    /// (a password file it would not read), if not yet told, goes to <paramref name="cmdlet"/>'s warning stream.
    /// </summary>
    public static DbEngine? Resolve(DbEngine? given, Cmdlet cmdlet, out ErrorRecord? error)
    {
        var engine = given ?? RunspaceState.Current.DefaultEngine;
        error = engine switch
        {
            null => DbErrors.Record("PgUsers.NoEngine", ErrorCategory.ObjectNotFound,
                "No engine: create one with New-DbEngine (it becomes this session's default), or pass -Engine or -Session.", null),
            { IsDisposed: true } => DbErrors.Record("PgUsers.EngineDisposed", ErrorCategory.InvalidOperation,
                $"The engine '{engine.Name}' was removed; create a new one with New-DbEngine.", engine),
            _ => null,
        };
        if (error is not null) return null;
        engine!.WarnOnce(cmdlet);
        return engine;
    }
}
