namespace PgUsers.Engine;

internal readonly record struct PoolStatus(int Open, int CheckedOut, int Idle);
