using System.Diagnostics.Metrics;

namespace ScoreGate.Router.Metrics;

/// <summary>
/// Listens to ScoreGate's meters and keeps what a Prometheus scrape needs: sums for counters,
/// bucket counts for histograms, the last observation for gauges. Recording is lock-free and
/// allocates only the first time a label set is seen. (prometheus-net and the OpenTelemetry
/// exporter are not available to us; the text format is small and specified.)
/// </summary>
public sealed class PrometheusCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<InstrumentSeries> _series = [];
    private readonly Lock _gate = new();

    /// <param name="meterNames">The meters to expose; instruments of other meters are ignored.</param>
    public PrometheusCollector(params string[] meterNames)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!meterNames.Contains(instrument.Meter.Name))
            {
                return;
            }

            var series = InstrumentSeries.For(instrument);
            lock (_gate)
            {
                _series.Add(series);
            }

            listener.EnableMeasurementEvents(instrument, series);
        };
        _listener.MeasurementsCompleted = (instrument, state) =>
        {
            lock (_gate)
            {
                _series.Remove((InstrumentSeries)state!);
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Observes the gauges now and writes every series in the Prometheus text format (version 0.0.4).</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        lock (_gate)
        {
            foreach (var series in _series)
            {
                series.BeginScrape();
            }

            _listener.RecordObservableInstruments();
            foreach (var series in _series.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                series.WriteTo(writer);
            }
        }
    }

    public string Scrape()
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        WriteTo(writer);
        return writer.ToString();
    }

    public void Dispose() => _listener.Dispose();
}
