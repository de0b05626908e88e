using Npgsql;
using PgUsers.Internal;

namespace PgUsers.Engine;

/// <summary>Generic rows for Invoke-DbQuery: values as Npgsql maps them, NULL as null, no Npgsql type let out.</summary>
internal sealed class RowReader : IRowReader
{
    private static readonly System.Reflection.Assembly s_npgsql = typeof(NpgsqlConnection).Assembly;
    private readonly RunningQuery _query;
    private string[] _columns = Array.Empty<string>();
    private bool[] _stringify = Array.Empty<bool>();

    public RowReader(RunningQuery query)
    {
        _query = query;
        query.ResultChanged = Describe;
        Describe();
    }

    public IReadOnlyList<string> Columns => _columns;


    public int ResultIndex => _query.ResultIndex;

    public bool Read() => _query.Read();

    public object?[] GetValues()
    {
        var reader = _query.Reader;
        var values = new object?[_columns.Length];
        reader.GetValues(values!);
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is DBNull) values[i] = null;
            else if (_stringify[i]) values[i] = values[i]!.ToString();
        }
        return values;
    }

    private void Describe()
    {
        var reader = _query.Reader;
        int count = reader.FieldCount;
        _columns = new string[count];
        _stringify = new bool[count];
        for (int i = 0; i < count; i++)
        {
            _columns[i] = reader.GetName(i);
            // Npgsql-only types (ranges, geometry, tsvector…) go out as their text form.
            _stringify[i] = reader.GetFieldType(i) is { } type && (type.Assembly == s_npgsql || type.GetElementType()?.Assembly == s_npgsql);
        }
    }

    /// <summary>A single value made safe for the public surface.</summary>
    public static object? Public(object? value) => value is not null && value.GetType().Assembly == s_npgsql ? value.ToString() : value;

    public void Dispose() => _query.Dispose();
}
