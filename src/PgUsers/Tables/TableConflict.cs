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
    /// selects them) and whose record numbers are @first to @last, in input order. It returns the stored rows
    /// when <paramref name="returnRows"/>, else one row: (inserted, updated).
    /// </summary>
    public string Insert(TableDescription table, IReadOnlyList<TableColumn> given, string stage, bool keepIdentity, bool returnRows)
    {
        string targets = string.Join(", ", given.Select(c => c.Quoted));
        string values = string.Join(", ", given.Select(c => $"s.c{c.Ordinal}::{c.SqlType}"));
        const string rows = "s.present = @pattern AND s.ord BETWEEN @first AND @last";
        string source = $"SELECT {values} FROM {stage} s WHERE {rows}";
        if (Deduplicates(given))
        {
            // One row per key, the last given: ON CONFLICT DO UPDATE cannot change a row twice in one statement.
            string key = KeyOf("s");
            source = $"SELECT {values} FROM (SELECT DISTINCT ON ({key}) * FROM {stage} s WHERE {rows} ORDER BY {key}, s.ord DESC) s ORDER BY s.ord";
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
            onConflict = set.Count > 0 && Deduplicates(given)
                ? $" ON CONFLICT {target}DO UPDATE SET {string.Join(", ", set)}"
                : $" ON CONFLICT {target}DO NOTHING";
        }
        string insert = $"INSERT INTO {table.QuotedName} AS t ({targets}){(keepIdentity ? " OVERRIDING SYSTEM VALUE" : "")} {source}{onConflict}";
        return returnRows
            ? insert + " RETURNING t.*"
            : $"WITH w AS ({insert} RETURNING (t.xmax = 0) AS inserted) SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM w";
    }

    /// <summary>
    /// The statement that deletes the staged rows of @pattern that a later record of the same key replaces, when
    /// <see cref="Insert"/> keeps only the last per key; else null. Run before the rows move in parts (-SkipInvalid),
    /// it keeps a part from writing a key that a later part writes again.
    /// </summary>
    public string? Superseded(IReadOnlyList<TableColumn> given, string stage) => Deduplicates(given)
        ? $"DELETE FROM {stage} WHERE ord IN (SELECT ord FROM (SELECT s.ord, row_number() OVER (PARTITION BY {KeyOf("s")} ORDER BY s.ord DESC) AS n FROM {stage} s WHERE s.present = @pattern) r WHERE n > 1)"
        : null;

    /// <summary>True when the rows of <paramref name="given"/> are updated on their key: then only the last record per key is written.</summary>
    private bool Deduplicates(IReadOnlyList<TableColumn> given) =>
        Action == TableConflictAction.Update && Key.Count > 0 && Key.All(k => given.Contains(k));

    private string KeyOf(string alias) => string.Join(", ", Key.Select(k => $"{alias}.c{k.Ordinal}"));
}
