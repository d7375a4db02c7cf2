namespace ScoreGate.Testing;

/// <summary>
/// Virtual time for tests (the Microsoft.Extensions.TimeProvider.Testing package is not in our
/// registry): the clock moves only when a test moves it.
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public FakeTimeProvider()
        : this(DateTimeOffset.UtcNow)
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
