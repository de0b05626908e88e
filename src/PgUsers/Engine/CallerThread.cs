using System.Collections.Concurrent;

namespace PgUsers.Engine;

/// <summary>
/// The thread of the command acquiring a connection. Npgsql finishes an asynchronous open on a pool thread,
/// but a script block (a -PasswordProvider) must run on its runspace's pipeline thread, where PowerShell can
/// load modules and run nested pipelines. So while the caller waits for the open, it runs what the open
/// posts back to it.
/// </summary>
internal sealed class CallerThread
{
    private static readonly AsyncLocal<CallerThread?> s_current = new();
    private readonly BlockingCollection<Action> _work = new();
    private readonly int _threadId = Environment.CurrentManagedThreadId;

    /// <summary>The caller of the acquire under way in this flow, or null.</summary>
    public static CallerThread? Current => s_current.Value;

    /// <summary>Marks this thread as the caller until the scope ends (its value flows into the open's continuations).</summary>
    public static Scope Enter()
    {
        var previous = s_current.Value;
        s_current.Value = new CallerThread();
        return new Scope(previous);
    }

    /// <summary>Runs <paramref name="work"/> on the caller's thread: at once when already on it, else once the caller picks it up.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Call()
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
        if (Environment.CurrentManagedThreadId == _threadId) Call();
        else _work.Add(Call);
        return done.Task;
    }

    /// <summary>Waits for <paramref name="task"/>; on the caller's thread, runs what is posted to it meanwhile.</summary>
    public static void Wait(Task task)
    {
        var caller = s_current.Value;
        if (caller is not null && Environment.CurrentManagedThreadId == caller._threadId && !task.IsCompleted)
        {
            // A no-op posted on completion wakes the loop for its last check.
            task.ContinueWith(static (_, work) => ((BlockingCollection<Action>)work!).Add(static () => { }), caller._work,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            while (!task.IsCompleted) caller._work.Take()();
        }
        task.GetAwaiter().GetResult();
    }

    public readonly struct Scope : IDisposable
    {
        private readonly CallerThread? _previous;

        public Scope(CallerThread? previous) => _previous = previous;

        public void Dispose() => s_current.Value = _previous;
    }
}
