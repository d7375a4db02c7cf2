namespace ScoreGate.Router.Tests;

public sealed class InlineSocketCompletionsTests : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable);

    public void Dispose() => Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, _before);

    [Fact]
    public void Apply_TurnsThemOn_WhenUnset()
    {
        Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, null);

        InlineSocketCompletions.Apply();

        Assert.Equal("1", Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable));
    }

    [Fact]
    public void Apply_KeepsTheUsersChoice()
    {
        Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, "0");

        InlineSocketCompletions.Apply();

        Assert.Equal("0", Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable));
    }
}
