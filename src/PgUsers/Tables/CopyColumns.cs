using System.Management.Automation;
using Column = PgUsers.Tables.CopyCatalog.Column;

namespace PgUsers.Tables;

/// <summary>
/// Which source column goes into which destination column, by name, and whether binary COPY can carry
/// its values there: binary COPY sends each value in its type's own encoding, which only the same type
/// (or one with the same encoding) reads back.
/// </summary>
internal static class CopyColumns
{
    // text, varchar and char share one binary form (the text itself).
    private static readonly HashSet<long> s_text = new() { 25, 1043, 1042 };

    /// <summary>The source's columns that -Columns names (all of them when null); an error names one it does not have, or a name met twice.</summary>
    public static IReadOnlyList<Column> Select(IReadOnlyList<Column> source, IReadOnlyList<string>? names, out ErrorRecord? problem)
    {
        problem = null;
        if (source.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1) is { } twice && (names is null || names.Contains(twice.Key)))
        {
            problem = DbErrors.Argument("PgUsers.DuplicateColumn",
                $"The source returns two columns named '{twice.Key}': give each its own name (AS) in the query.", twice.Key);
            return Array.Empty<Column>();
        }
        if (names is null) return source;
        var chosen = new List<Column>();
        foreach (string name in names.Distinct())
        {
            var column = Find(source, name);
            if (column is null)
            {
                problem = DbErrors.Record("PgUsers.ColumnNotFound", ErrorCategory.ObjectNotFound,
                    $"-Columns names '{name}', which the source does not have; it has {string.Join(", ", source.Select(c => c.Name))}.", name);
                return Array.Empty<Column>();
            }
            chosen.Add(column);
        }
        return chosen;
    }

    /// <summary>
    /// The destination column for each source column: the same name, else the one name equal ignoring case.
    /// An error names a column the destination lacks, a generated one, or one whose type cannot take the values.
    /// </summary>
    public static IReadOnlyList<(Column From, Column To)> Match(IReadOnlyList<Column> source, IReadOnlyList<Column> destination, string destinationName,
        out ErrorRecord? problem)
    {
        problem = null;
        var pairs = new List<(Column, Column)>();
        foreach (var from in source)
        {
            var to = Find(destination, from.Name);
            if (to is null)
            {
                problem = DbErrors.Record("PgUsers.ColumnNotFound", ErrorCategory.ObjectNotFound,
                    $"The destination {destinationName} has no column '{from.Name}'. Leave it out with -Columns, rename it in a -Query, or add it to the table.", from.Name);
                return Array.Empty<(Column, Column)>();
            }
            string? reason = to.Generated
                ? $"'{to.Name}' is a generated column on the destination {destinationName}: it cannot be written; leave it out with -Columns."
                : Mismatch(from, to) is { } mismatch ? $"Column '{from.Name}': {mismatch}" : null;
            if (reason is not null)
            {
                problem = new ErrorRecord(new InvalidOperationException(reason), "PgUsers.ColumnTypeMismatch", ErrorCategory.InvalidType, from.Name);
                return Array.Empty<(Column, Column)>();
            }
            if (pairs.Any(p => ReferenceEquals(p.Item2, to)))
            {
                problem = DbErrors.Argument("PgUsers.DuplicateColumn", $"Two source columns go into the destination's column '{to.Name}'.", from.Name);
                return Array.Empty<(Column, Column)>();
            }
            pairs.Add((from, to));
        }
        return pairs;
    }

    /// <summary>Why binary COPY cannot carry a <paramref name="from"/> value into <paramref name="to"/>, or null when it can.</summary>
    public static string? Mismatch(Column from, Column to)
    {
        bool same = from.BaseOid == to.BaseOid && (from.BaseOid < CopyCatalog.FirstUserOid || from.BaseType == to.BaseType);
        // A type of the database's own (an enum, a composite) has another oid in another database: the name tells.
        bool sameUserType = from.BaseOid >= CopyCatalog.FirstUserOid && to.BaseOid >= CopyCatalog.FirstUserOid && from.BaseType == to.BaseType;
        if (same || sameUserType || (s_text.Contains(from.BaseOid) && s_text.Contains(to.BaseOid))) return null;
        return $"the source's {from.SqlType} cannot be copied in binary into the destination's {to.SqlType}; " +
            $"cast it in a -Query ({TableName.Quote(from.Name)}::{to.SqlType}) or copy into a table of matching types.";
    }

    private static Column? Find(IReadOnlyList<Column> columns, string name)
    {
        if (columns.FirstOrDefault(c => c.Name == name) is { } exact) return exact;
        var loose = columns.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return loose.Count == 1 ? loose[0] : null;
    }
}
