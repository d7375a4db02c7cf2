namespace ScoreGate.Testing;

/// <summary>
/// A fixed clock for tests (the Microsoft.Extensions.TimeProvider.Testing package is not in our
/// registry): it says what a test sets, so validity checks can be made at any moment.
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    public FakeTimeProvider()
        : this(DateTimeOffset.UtcNow)
    {
    }

    public override DateTimeOffset GetUtcNow() => now;
}
