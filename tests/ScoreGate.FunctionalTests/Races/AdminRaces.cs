using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests.Races;

/// <summary>
/// Changes made at the same moment through the admin API, as two operators or two scripts would:
/// each round starts two calls together and then checks that neither silently undid the other.
/// The same rounds run on SQLite and on PostgreSQL (<see cref="SqliteAdminRaceTests"/>,
/// <see cref="PostgresAdminRaceTests"/>).
/// </summary>
internal static class AdminRaces
{
    public const int Rounds = 200;

    /// <summary><c>regenerate-keys</c> against a description update: after each round the new key works and the old one gets 401.</summary>
    public static async Task RegenerateAgainstDescriptionAsync(RouterProcess router, HttpClient scoring, string endpoint)
    {
        using var admin = router.CreateAdminClient();
        var old = (await CredentialsAsync(admin, endpoint)).Primary;
        for (var round = 1; round <= Rounds; round++)
        {
            var (regenerated, described) = await TogetherAsync(
                () => admin.PostAsJsonAsync($"/api/endpoints/{endpoint}/regenerate-keys", new { keyType = "primary" }),
                () => admin.PatchAsJsonAsync($"/api/endpoints/{endpoint}", new { description = $"round {round}" }));
            await ExpectOkAsync(regenerated, $"round {round}: regenerate-keys");
            await ExpectOkAsync(described, $"round {round}: the description update");
            var newKey = JsonDocument.Parse(await regenerated.Content.ReadAsStringAsync()).RootElement.GetProperty("primaryKey").GetString()!;

            Assert.True(newKey == (await CredentialsAsync(admin, endpoint)).Primary, $"Round {round}: the description update undid the key rotation.");
            Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(scoring, endpoint, newKey)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await ScoreAsync(scoring, endpoint, old)).StatusCode);
            Assert.Equal($"round {round}", await DescriptionAsync(admin, endpoint));
            old = newKey;
        }
    }

    /// <summary>Traffic to deployment D against deleting D: traffic never points at a missing deployment, and scoring never gets 404.</summary>
    public static async Task TrafficAgainstDeleteAsync(RouterProcess router, HttpClient scoring, string endpoint, string key, string modelUrl)
    {
        using var admin = router.CreateAdminClient();
        for (var round = 1; round <= Rounds; round++)
        {
            await ExpectOkAsync(await admin.PostAsJsonAsync($"/api/endpoints/{endpoint}/deployments", new { name = "gone", urls = new[] { modelUrl } }), $"round {round}: creating deployment gone");
            var (traffic, deleted) = await TogetherAsync(
                () => admin.PatchAsJsonAsync($"/api/endpoints/{endpoint}", new { traffic = new Dictionary<string, int> { ["keep"] = 0, ["gone"] = 100 } }),
                () => admin.DeleteAsync($"/api/endpoints/{endpoint}/deployments/gone"));

            // Either may lose (400: no such deployment; 409: it still has traffic); neither may do both.
            Assert.Contains(traffic.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
            Assert.Contains(deleted.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict });
            var deployments = await DeploymentNamesAsync(admin, endpoint);
            foreach (var (name, percent) in await TrafficAsync(admin, endpoint))
            {
                Assert.True(percent == 0 || deployments.Contains(name), $"Round {round}: traffic sends {percent}% to deployment '{name}', which was deleted.");
            }

            Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(scoring, endpoint, key)).StatusCode);
            await ExpectOkAsync(await admin.PatchAsJsonAsync($"/api/endpoints/{endpoint}", new { traffic = new Dictionary<string, int> { ["keep"] = 100 } }), $"round {round}: moving traffic back");
            if (deployments.Contains("gone"))
            {
                await ExpectOkAsync(await admin.DeleteAsync($"/api/endpoints/{endpoint}/deployments/gone"), $"round {round}: deleting gone");
            }
        }
    }

    public static async Task<(string Primary, string Secondary)> CredentialsAsync(HttpClient admin, string endpoint)
    {
        using var response = await admin.PostAsync($"/api/endpoints/{endpoint}/credentials", null);
        await ExpectOkAsync(response, "get-credentials");
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (root.GetProperty("primaryKey").GetString()!, root.GetProperty("secondaryKey").GetString()!);
    }

    /// <summary>Runs both calls at once: each waits for the other to be ready before sending.</summary>
    public static async Task<(HttpResponseMessage First, HttpResponseMessage Second)> TogetherAsync(Func<Task<HttpResponseMessage>> first, Func<Task<HttpResponseMessage>> second)
    {
        using var ready = new Barrier(2);
        var a = Task.Run(() => { ready.SignalAndWait(TimeSpan.FromSeconds(10)); return first(); });
        var b = Task.Run(() => { ready.SignalAndWait(TimeSpan.FromSeconds(10)); return second(); });
        return (await a, await b);
    }

    public static async Task ExpectOkAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<string?> DescriptionAsync(HttpClient admin, string endpoint) =>
        JsonDocument.Parse(await admin.GetStringAsync($"/api/endpoints/{endpoint}")).RootElement.GetProperty("description").GetString();

    private static async Task<Dictionary<string, int>> TrafficAsync(HttpClient admin, string endpoint) =>
        JsonDocument.Parse(await admin.GetStringAsync($"/api/endpoints/{endpoint}")).RootElement.GetProperty("traffic").Deserialize<Dictionary<string, int>>()!;

    private static async Task<HashSet<string>> DeploymentNamesAsync(HttpClient admin, string endpoint) =>
        [.. JsonDocument.Parse(await admin.GetStringAsync($"/api/endpoints/{endpoint}/deployments")).RootElement.EnumerateArray().Select(d => d.GetProperty("name").GetString()!)];
}
