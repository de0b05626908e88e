using System.Diagnostics.Metrics;

namespace PgUsers.Driver;

/// <summary>
/// Reads Npgsql's own count of physical connections by state (the "Npgsql" meter's
/// db.client.connection.count) for one data source: Npgsql has no public pool statistics.
/// </summary>
internal sealed class PoolMetrics : IDisposable
{
    private readonly string _poolName;
    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private int _idle;
    private int _used;

    public PoolMetrics(string poolName)
    {
        _poolName = poolName;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name == "db.client.connection.count")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>(OnMeasurement);
        _listener.SetMeasurementEventCallback<long>((i, m, t, s) => OnMeasurement(i, (int)m, t, s));
        _listener.Start();
    }

    public (int Idle, int Used) Read()
    {
        lock (_gate)
        {
            _idle = 0;
            _used = 0;
            _listener.RecordObservableInstruments();
            return (_idle, _used);
        }
    }

    private void OnMeasurement(Instrument instrument, int value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? pool = null, connectionState = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "db.client.connection.pool.name") pool = tag.Value as string;
            else if (tag.Key == "db.client.connection.state") connectionState = tag.Value as string;
        }
        if (pool != _poolName) return;
        if (connectionState == "idle") _idle += value;
        else if (connectionState == "used") _used += value;
    }

    public void Dispose() => _listener.Dispose();
}
