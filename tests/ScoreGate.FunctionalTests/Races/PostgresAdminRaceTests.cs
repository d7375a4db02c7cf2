using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests.Races;

/// <summary>
/// The admin races of <see cref="AdminRaces"/> on PostgreSQL, and one only a shared store has:
/// two routers regenerating the same key at the same moment.
/// </summary>
public sealed class PostgresAdminRaceTests(ScaleOutFixture fixture) : IClassFixture<ScaleOutFixture>
{
    private RouterProcess One => fixture.Routers[0];

    private RouterProcess Two => fixture.Routers[1];

    [Fact]
    public async Task RegenerateKeys_RacingADescriptionUpdate_NeverLosesTheNewKey()
    {
        await One.CreateServedEndpointAsync("rotating", "blue=100", ("blue", fixture.Model.Url));
        using var scoring = One.CreateHttpsClient(fixture.Ca.Certificate);

        await AdminRaces.RegenerateAgainstDescriptionAsync(One, scoring, "rotating");
    }

    [Fact]
    public async Task TrafficToADeployment_RacingItsDeletion_NeverPointsAtAMissingDeployment()
    {
        var (key, _) = await One.CreateServedEndpointAsync("moving", "keep=100", ("keep", fixture.Model.Url));
        using var scoring = One.CreateHttpsClient(fixture.Ca.Certificate);

        await AdminRaces.TrafficAgainstDeleteAsync(One, scoring, "moving", key, fixture.Model.Url);
    }

    [Fact]
    public async Task TwoRoutersRegeneratingTheSameKeyAtOnce_AgreeOnOneNewKey()
    {
        await One.CreateServedEndpointAsync("twice", "blue=100", ("blue", fixture.Model.Url));
        using var adminOne = One.CreateAdminClient();
        using var adminTwo = Two.CreateAdminClient();
        using var scoringOne = One.CreateHttpsClient(fixture.Ca.Certificate);
        using var scoringTwo = Two.CreateHttpsClient(fixture.Ca.Certificate);
        var old = (await AdminRaces.CredentialsAsync(adminOne, "twice")).Primary;
        await Eventually.TrueAsync(async () => (await ScoreAsync(scoringTwo, "twice", old)).StatusCode == HttpStatusCode.OK, "router two did not serve the endpoint", TimeSpan.FromSeconds(10));
        var oneKeyRounds = 0;
        for (var round = 1; round <= 20; round++)
        {
            var (first, second) = await AdminRaces.TogetherAsync(
                () => adminOne.PostAsJsonAsync("/api/endpoints/twice/regenerate-keys", new { keyType = "primary" }),
                () => adminTwo.PostAsJsonAsync("/api/endpoints/twice/regenerate-keys", new { keyType = "primary" }));
            await AdminRaces.ExpectOkAsync(first, $"round {round}: router one");
            await AdminRaces.ExpectOkAsync(second, $"round {round}: router two");
            var keys = new[] { await PrimaryKeyAsync(first), await PrimaryKeyAsync(second) };
            var stored = (await AdminRaces.CredentialsAsync(adminOne, "twice")).Primary;

            // Calls that overlapped give one new key; calls one after the other each draw their own,
            // and the later one's is the key: in both cases every router serves exactly that key.
            Assert.Contains(stored, keys);
            oneKeyRounds += keys[0] == keys[1] ? 1 : 0;
            var refused = keys.Append(old).Where(k => k != stored).ToList();
            foreach (var scoring in new[] { scoringOne, scoringTwo })
            {
                await Eventually.TrueAsync(
                    async () => (await ScoreAsync(scoring, "twice", stored)).StatusCode == HttpStatusCode.OK
                        && await AllRefusedAsync(scoring, refused),
                    $"round {round}: the routers do not agree on the new key within a second", TimeSpan.FromSeconds(1));
            }

            old = stored;
        }

        Assert.True(oneKeyRounds > 0, "In no round did two simultaneous regenerations give their callers the same key: one caller always got a key that was void at once.");
    }

    private static async Task<bool> AllRefusedAsync(HttpClient scoring, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if ((await ScoreAsync(scoring, "twice", key)).StatusCode != HttpStatusCode.Unauthorized)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<string> PrimaryKeyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("primaryKey").GetString()!;
}
