namespace ScoreGate.FunctionalTests.Races;

/// <summary>The admin races of <see cref="AdminRaces"/> on one router with its SQLite store.</summary>
public sealed class SqliteAdminRaceTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Fact]
    public async Task RegenerateKeys_RacingADescriptionUpdate_NeverLosesTheNewKey()
    {
        await fixture.Router.CreateServedEndpointAsync("rotating", "blue=100", ("blue", fixture.Blue.Url));
        using var scoring = fixture.CreateClient();

        await AdminRaces.RegenerateAgainstDescriptionAsync(fixture.Router, scoring, "rotating");
    }

    [Fact]
    public async Task TrafficToADeployment_RacingItsDeletion_NeverPointsAtAMissingDeployment()
    {
        var (key, _) = await fixture.Router.CreateServedEndpointAsync("moving", "keep=100", ("keep", fixture.Blue.Url));
        using var scoring = fixture.CreateClient();

        await AdminRaces.TrafficAgainstDeleteAsync(fixture.Router, scoring, "moving", key, fixture.Green.Url);
    }
}
