namespace PgUsers.Benchmarks;

/// <summary>Row counts and repetitions: the full run of the speed targets, or a CI smoke run under a minute.</summary>
internal sealed record Settings(
    bool Quick,
    int Runs,
    int Users,
    int GenericRows,
    int LoadUsers,
    int RowByRowInserts,
    int Calls,
    int UnpooledCalls,
    int HeapRows,
    int CsvPipedUsers)
{
    public static Settings Full { get; } = new(false, 5, 1_000_000, 1_000_000, 1_000_000, 10_000, 10_000, 300, 5_000_000, 100_000);

    public static Settings QuickRun { get; } = new(true, 3, 20_000, 20_000, 20_000, 300, 1_000, 30, 200_000, 5_000);
}
