namespace PgUsers.Tables;

/// <summary>
/// How staged rows move into the table: the INSERT ... SELECT for one set of given columns, with the
/// conflict rule on a key (the primary key or the columns of a unique constraint).
/// </summary>
internal sealed class TableConflict
{
    public TableConflict(TableConflictAction action, IReadOnlyList<TableColumn> key)
    {
        Action = action;
        Key = key;
    }

    public TableConflictAction Action { get; }

    /// <summary>The conflict target's columns (empty for Error).</summary>
    public IReadOnlyList<TableColumn> Key { get; }

    /// <summary>
    /// The statement that inserts the staged rows whose given columns are <paramref name="given"/> (@pattern
    /// selects them), in input order. It returns the stored rows when <paramref name="returnRows"/>, else
    /// one row: (inserted, updated).
    /// </summary>
    public string Insert(TableDescription table, IReadOnlyList<TableColumn> given, string stage, bool keepIdentity, bool returnRows)
    {
        string targets = string.Join(", ", given.Select(c => c.Quoted));
        string values = string.Join(", ", given.Select(c => $"s.c{c.Ordinal}::{c.SqlType}"));
        string source = $"SELECT {values} FROM {stage} s WHERE s.present = @pattern";
        bool keyGiven = Key.Count > 0 && Key.All(k => given.Contains(k));
        if (Action == TableConflictAction.Update && keyGiven)
        {
            // One row per key, the last given: ON CONFLICT DO UPDATE cannot change a row twice in one statement.
            string key = string.Join(", ", Key.Select(k => "s.c" + k.Ordinal));
            source = $"SELECT {values} FROM (SELECT DISTINCT ON ({key}) * FROM {stage} s WHERE s.present = @pattern ORDER BY {key}, s.ord DESC) s ORDER BY s.ord";
        }
        else
        {
            source += " ORDER BY s.ord";
        }
        string onConflict = "";
        if (Action != TableConflictAction.Error)
        {
            string target = Key.Count == 0 ? "" : "(" + string.Join(", ", Key.Select(k => k.Quoted)) + ") ";
            var set = given.Where(c => !Key.Contains(c)).Select(c => $"{c.Quoted} = EXCLUDED.{c.Quoted}").ToList();
            onConflict = Action == TableConflictAction.Update && set.Count > 0 && keyGiven
                ? $" ON CONFLICT {target}DO UPDATE SET {string.Join(", ", set)}"
                : $" ON CONFLICT {target}DO NOTHING";
        }
        string insert = $"INSERT INTO {table.QuotedName} AS t ({targets}){(keepIdentity ? " OVERRIDING SYSTEM VALUE" : "")} {source}{onConflict}";
        return returnRows
            ? insert + " RETURNING t.*"
            : $"WITH w AS ({insert} RETURNING (t.xmax = 0) AS inserted) SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM w";
    }
}
