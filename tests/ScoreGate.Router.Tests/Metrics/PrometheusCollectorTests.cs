using System.Diagnostics;
using System.Diagnostics.Metrics;
using ScoreGate.Router.Metrics;

namespace ScoreGate.Router.Tests.Metrics;

public sealed class PrometheusCollectorTests : IDisposable
{
    private readonly string _meterName = $"ScoreGate.Test.{Guid.NewGuid():N}";
    private readonly Meter _meter;
    private readonly PrometheusCollector _collector;

    public PrometheusCollectorTests()
    {
        _collector = new PrometheusCollector(_meterName);
        _meter = new Meter(_meterName);
    }

    public void Dispose()
    {
        _meter.Dispose();
        _collector.Dispose();
    }

    [Fact]
    public void Counter_SumsPerLabelSet_WithTotalSuffixAndHelp()
    {
        var counter = _meter.CreateCounter<long>("scoregate.requests", "{request}", "Requests answered.");
        counter.Add(2, new KeyValuePair<string, object?>("endpoint", "iris"), new KeyValuePair<string, object?>("status", "200"));
        counter.Add(3, new KeyValuePair<string, object?>("endpoint", "iris"), new KeyValuePair<string, object?>("status", "200"));
        counter.Add(1, new KeyValuePair<string, object?>("endpoint", "iris"), new KeyValuePair<string, object?>("status", "429"));

        var text = _collector.Scrape();
        var scrape = PrometheusText.Parse(text);

        Assert.Contains("# HELP scoregate_requests_total Requests answered.\n# TYPE scoregate_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Equal(5, scrape.Value("scoregate_requests_total", ("endpoint", "iris"), ("status", "200")));
        Assert.Equal(1, scrape.Value("scoregate_requests_total", ("endpoint", "iris"), ("status", "429")));
    }

    [Fact]
    public void Histogram_CountsCumulativeBuckets_BoundsInclusive_WithSumAndCount()
    {
        var histogram = _meter.CreateHistogram<double>("scoregate.request.duration", "s", "Durations.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        foreach (var value in new[] { 0.05, 0.1, 0.5, 3 })
        {
            histogram.Record(value, new KeyValuePair<string, object?>("endpoint", "iris"));
        }

        var scrape = PrometheusText.Parse(_collector.Scrape());

        Assert.Equal("histogram", scrape.Types["scoregate_request_duration_seconds"]);
        Assert.Equal(2, scrape.Value("scoregate_request_duration_seconds_bucket", ("le", "0.1")));
        Assert.Equal(3, scrape.Value("scoregate_request_duration_seconds_bucket", ("le", "1")));
        Assert.Equal(4, scrape.Value("scoregate_request_duration_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(4, scrape.Value("scoregate_request_duration_seconds_count"));
        Assert.Equal(3.65, scrape.Value("scoregate_request_duration_seconds_sum"), 6);
    }

    [Fact]
    public void ObservableGauge_ShowsTheLatestObservation_AndForgetsSeriesThatAreGone()
    {
        var deployments = new List<string> { "blue", "green" };
        _meter.CreateObservableGauge("scoregate.requests.queued", () => deployments.Select(d => new Measurement<int>(d.Length, new KeyValuePair<string, object?>("deployment", d))));

        var first = PrometheusText.Parse(_collector.Scrape());
        deployments.Remove("green");
        var second = PrometheusText.Parse(_collector.Scrape());

        Assert.Equal("gauge", first.Types["scoregate_requests_queued"]);
        Assert.Equal(5, first.Value("scoregate_requests_queued", ("deployment", "green")));
        Assert.Equal(4, second.Value("scoregate_requests_queued", ("deployment", "blue")));
        Assert.DoesNotContain(second.Samples, s => s.Has("deployment", "green"));
    }

    [Fact]
    public void LabelValues_AreEscaped_SoAnyNameParses()
    {
        var counter = _meter.CreateCounter<long>("scoregate.odd");
        var odd = "a \"quoted\" back\\slash\nnew line";
        counter.Add(1, new KeyValuePair<string, object?>("name", odd));

        var scrape = PrometheusText.Parse(_collector.Scrape());

        Assert.Equal(odd, Assert.Single(scrape.Samples).Labels["name"]);
    }

    [Fact]
    public void OtherMeters_AreNotExposed_AndNothingRecordedWritesNothing()
    {
        using var other = new Meter($"Other.{Guid.NewGuid():N}");
        other.CreateCounter<long>("other.requests").Add(1);
        _meter.CreateCounter<long>("scoregate.unused");

        Assert.Equal(string.Empty, _collector.Scrape());
    }

    [Fact]
    public void Counter_ConcurrentAdds_AreAllCounted()
    {
        var counter = _meter.CreateCounter<long>("scoregate.concurrent");
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Add(1, new TagList { { "endpoint", "iris" } });
            }
        });

        Assert.Equal(80_000, PrometheusText.Parse(_collector.Scrape()).Value("scoregate_concurrent_total", ("endpoint", "iris")));
    }

    [Fact]
    public void Parser_RefusesWhatAScraperWould()
    {
        Assert.Throws<FormatException>(() => PrometheusText.Parse("scoregate_x 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE scoregate_x counter\nscoregate_x{a=\"b} 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE scoregate_x counter\nscoregate_x one\n"));
    }
}
