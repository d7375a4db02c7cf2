namespace ScoreGate.Dns.Tests;

/// <summary>One BIND for a test class; each test uses its own names in the zone.</summary>
public sealed class BindFixture : IAsyncLifetime
{
    public BindServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await BindServer.StartAsync();

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}
