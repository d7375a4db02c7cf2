using System.Net;
using System.Text;

namespace ScoreGate.FunctionalTests;

/// <summary>Bad admin API calls are refused with a message naming the problem, and change nothing.</summary>
public sealed class AdminApiTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Theory]
    [InlineData("""{"name": "strict", "authmode": "key", "colour": "blue"}""", "The request body has a field 'colour' that this call does not take. Remove it, or check its spelling.")]
    [InlineData("""{"name": "strict", """, "The request body is not valid JSON (line 1, byte 19).")]
    [InlineData("null", "The request body is empty; send a JSON object.")]
    [InlineData("""{"name": 42}""", "The request body's field 'name' has the wrong type (for example a number where text is expected).")]
    public async Task CreateEndpoint_BadBody_Returns400NamingTheProblem(string body, string expected)
    {
        using var admin = fixture.Router.CreateAdminClient();

        var response = await admin.PostAsync("/api/endpoints", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected, await ScoringTests.MessageAsync(response));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/endpoints/strict")).StatusCode);
    }

    [Fact]
    public async Task CreateEndpoint_NameEndingInANewline_IsRefused_SoItCannotSitBesideTheRealOne()
    {
        await fixture.Router.ExpectSuccessAsync("endpoint", "create", "--name", "trail");
        using var admin = fixture.Router.CreateAdminClient();

        var response = await admin.PostAsync("/api/endpoints", new StringContent("""{"name": "trail\n"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("'trail\n' is not a valid endpoint name: use 3 to 32 letters, digits or hyphens, starting with a letter and not ending with a hyphen.", await ScoringTests.MessageAsync(response));
        var names = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync("/api/endpoints")).RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Single(names, n => n!.StartsWith("trail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpdateEndpoint_HugeDescriptionOrTooManyTags_IsRefusedNamingTheLimit()
    {
        await fixture.Router.ExpectSuccessAsync("endpoint", "create", "--name", "bounded");
        using var admin = fixture.Router.CreateAdminClient();
        var tags = string.Join(", ", Enumerable.Range(0, 300).Select(i => $"\"t{i}\": \"v\""));

        var description = await admin.PatchAsync("/api/endpoints/bounded", new StringContent($$"""{"description": "{{new string('d', 100_000)}}"}""", Encoding.UTF8, "application/json"));
        var tagged = await admin.PatchAsync("/api/endpoints/bounded", new StringContent("{\"tags\": {" + tags + "}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, description.StatusCode);
        Assert.Equal("Endpoint 'bounded': its description is 100000 characters long; keep it to 4096.", await ScoringTests.MessageAsync(description));
        Assert.Equal(HttpStatusCode.BadRequest, tagged.StatusCode);
        Assert.Equal("Endpoint 'bounded': it has 300 tags; give at most 50.", await ScoringTests.MessageAsync(tagged));
    }

    [Fact]
    public async Task UpdateEndpoint_WithoutTraffic_SaysWhatToSend()
    {
        await fixture.Router.ExpectSuccessAsync("endpoint", "create", "--name", "patchme");
        using var admin = fixture.Router.CreateAdminClient();

        var response = await admin.PatchAsync("/api/endpoints/patchme", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "Nothing to update on endpoint 'patchme': give traffic, mirror traffic, description, tags, properties, auth mode, public network access or allowed callers (with the CLI: --traffic, or -f with an endpoint file).",
            await ScoringTests.MessageAsync(response));
    }

    [Fact]
    public async Task Score_WithGet_Returns405NamingTheMethod()
    {
        using var client = fixture.CreateClient();

        var response = await client.GetAsync("/api/v1/service/iris/score");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
        Assert.Equal("Use POST for /api/v1/service/iris/score.", await ScoringTests.MessageAsync(response));
    }

    [Fact]
    public async Task DataPlane_UnknownPath_Returns404ShowingTheScoringUri()
    {
        using var client = fixture.CreateClient();

        var response = await client.GetAsync("/api/endpoints");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No such URI. Score with POST /api/v1/service/<endpoint>/score (or POST /score on an endpoint's own host name); the model's schema is at GET .../swagger.json.", await ScoringTests.MessageAsync(response));
    }
}
