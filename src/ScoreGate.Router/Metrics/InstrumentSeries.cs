using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace ScoreGate.Router.Metrics;

/// <summary>One instrument's values per label set, and how they are written for Prometheus.</summary>
internal abstract class InstrumentSeries
{
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    protected InstrumentSeries(Instrument instrument, string type, string suffix)
    {
        Name = PrometheusName(instrument, suffix);
        Type = type;
        Help = instrument.Description ?? string.Empty;
    }

    /// <summary>The metric name: dots become underscores, and seconds and counter totals are spelt out as Prometheus expects.</summary>
    public string Name { get; }

    private string Type { get; }

    private string Help { get; }

    public static InstrumentSeries For(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var seconds = instrument.Unit == "s" ? "_seconds" : string.Empty;
        return instrument switch
        {
            Histogram<double> histogram => new HistogramSeries(instrument, seconds, histogram.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBuckets),
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double>
                => new CounterSeries(instrument, seconds + "_total"),
            _ => new GaugeSeries(instrument, seconds),
        };
    }

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Before gauges are observed: forget the last observations, so series that are gone disappear.</summary>
    public virtual void BeginScrape()
    {
    }

    public void WriteTo(TextWriter writer)
    {
        if (IsEmpty)
        {
            return;
        }

        writer.Write($"# HELP {Name} ");
        writer.Write(Help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));
        writer.Write('\n');
        writer.Write($"# TYPE {Name} {Type}\n");
        WriteSamples(writer);
    }

    protected abstract bool IsEmpty { get; }

    protected abstract void WriteSamples(TextWriter writer);

    protected static void WriteSample(TextWriter writer, string name, LabelSet labels, string? extraName, string? extraValue, double value)
    {
        writer.Write(name);
        labels.WriteTo(writer, extraName, extraValue);
        writer.Write(' ');
        writer.Write(Format(value));
        writer.Write('\n');
    }

    internal static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string PrometheusName(Instrument instrument, string suffix)
    {
        var name = instrument.Name.Replace('.', '_').Replace('-', '_');
        return name.EndsWith(suffix, StringComparison.Ordinal) ? name : name + suffix;
    }

    private sealed class CounterSeries(Instrument instrument, string suffix) : InstrumentSeries(instrument, "counter", suffix)
    {
        private readonly ConcurrentDictionary<LabelSet, Cell> _cells = new();

        protected override bool IsEmpty => _cells.IsEmpty;

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            _cells.GetOrAdd(LabelSet.From(tags), static _ => new Cell()).Add(value);

        protected override void WriteSamples(TextWriter writer)
        {
            foreach (var (labels, cell) in _cells.OrderBy(c => c.Key))
            {
                WriteSample(writer, Name, labels, null, null, cell.Value);
            }
        }
    }

    private sealed class GaugeSeries(Instrument instrument, string suffix) : InstrumentSeries(instrument, "gauge", suffix)
    {
        private readonly ConcurrentDictionary<LabelSet, double> _last = new();

        protected override bool IsEmpty => _last.IsEmpty;

        public override void BeginScrape() => _last.Clear();

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _last[LabelSet.From(tags)] = value;

        protected override void WriteSamples(TextWriter writer)
        {
            foreach (var (labels, value) in _last.OrderBy(c => c.Key))
            {
                WriteSample(writer, Name, labels, null, null, value);
            }
        }
    }

    private sealed class HistogramSeries(Instrument instrument, string suffix, double[] bounds) : InstrumentSeries(instrument, "histogram", suffix)
    {
        private readonly ConcurrentDictionary<LabelSet, Buckets> _cells = new();

        protected override bool IsEmpty => _cells.IsEmpty;

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            _cells.GetOrAdd(LabelSet.From(tags), static (_, count) => new Buckets(count), bounds.Length).Add(BucketOf(value), value);

        /// <summary>The first bucket whose upper bound (inclusive, as <c>le</c> says) holds the value.</summary>
        private int BucketOf(double value)
        {
            var index = Array.BinarySearch(bounds, value);
            return index < 0 ? ~index : index;
        }

        protected override void WriteSamples(TextWriter writer)
        {
            foreach (var (labels, buckets) in _cells.OrderBy(c => c.Key))
            {
                long cumulative = 0;
                for (var i = 0; i <= bounds.Length; i++)
                {
                    cumulative += buckets.CountAt(i);
                    WriteSample(writer, Name + "_bucket", labels, "le", i < bounds.Length ? Format(bounds[i]) : "+Inf", cumulative);
                }

                WriteSample(writer, Name + "_sum", labels, null, null, buckets.Sum);
                WriteSample(writer, Name + "_count", labels, null, null, cumulative);
            }
        }
    }

    private sealed class Cell
    {
        private double _value;

        public double Value => Volatile.Read(ref _value);

        public void Add(double value)
        {
            var current = Volatile.Read(ref _value);
            while (Interlocked.CompareExchange(ref _value, current + value, current) is var seen && !seen.Equals(current))
            {
                current = seen;
            }
        }
    }

    /// <summary>Counts per bucket (the last one is +Inf) and the sum; a scrape may see a sample mid-update, as Prometheus allows.</summary>
    private sealed class Buckets(int bounds)
    {
        private readonly long[] _counts = new long[bounds + 1];
        private readonly Cell _sum = new();

        public double Sum => _sum.Value;

        public long CountAt(int bucket) => Volatile.Read(ref _counts[bucket]);

        public void Add(int bucket, double value)
        {
            Interlocked.Increment(ref _counts[bucket]);
            _sum.Add(value);
        }
    }
}
