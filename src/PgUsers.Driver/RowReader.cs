
namespace PgUsers.Driver;

/// <summary>Generic rows for Invoke-DbQuery: values as Npgsql maps them (see <see cref="Values"/>), NULL as null, no Npgsql type let out.</summary>
internal sealed class RowReader : IRowReader
{
    private readonly RunningQuery _query;
    private readonly bool _jsonAsText;
    private readonly Action? _unknownType;
    private string[] _columns = Array.Empty<string>();
    private Func<object, object?>?[] _convert = Array.Empty<Func<object, object?>?>();
    // Columns whose values are checked against the reader (timestamps, see Values.Raw), and whether there are any.
    private Func<Npgsql.NpgsqlDataReader, int, object?, object>?[] _raw = Array.Empty<Func<Npgsql.NpgsqlDataReader, int, object?, object>?>();
    private bool _anyRaw;

    /// <param name="unknownType">Called when a column's type was unknown to the pool's type cache.</param>
    public RowReader(RunningQuery query, bool jsonAsText, Action? unknownType)
    {
        _query = query;
        _jsonAsText = jsonAsText;
        _unknownType = unknownType;
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
        try
        {
            reader.GetValues(values!);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or ArgumentOutOfRangeException)
        {
            // Some value has no object form (an interval with months, say): read the row one column at a time.
            for (int i = 0; i < values.Length; i++) values[i] = One(reader, i);
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is DBNull) values[i] = null;
            else if (_anyRaw && _raw[i] is { } raw) values[i] = raw(reader, i, values[i]);
            else if (_convert[i] is { } convert) values[i] = convert(values[i]!);
        }
        return values;
    }

    /// <summary>One value as GetValue gives it, or its <see cref="Values.Fallback"/> form.</summary>
    public static object One(Npgsql.NpgsqlDataReader reader, int ordinal)
    {
        if (Values.Raw(reader, ordinal) is { } raw) return raw(reader, ordinal, null);
        try
        {
            return reader.GetValue(ordinal);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or ArgumentOutOfRangeException)
        {
            return Values.Fallback(reader, ordinal, e);
        }
    }

    private void Describe()
    {
        var reader = _query.Reader;
        int count = reader.FieldCount;
        _columns = new string[count];
        _convert = new Func<object, object?>?[count];
        _raw = new Func<Npgsql.NpgsqlDataReader, int, object?, object>?[count];
        _anyRaw = false;
        bool unknown = false;
        for (int i = 0; i < count; i++)
        {
            _columns[i] = reader.GetName(i);
            _convert[i] = Values.For(reader, i, _jsonAsText);
            _raw[i] = Values.Raw(reader, i);
            _anyRaw |= _raw[i] is not null;
            unknown |= Values.IsUnknown(reader, i);
        }
        if (unknown) _unknownType?.Invoke();
    }

    public void Dispose() => _query.Dispose();
}
