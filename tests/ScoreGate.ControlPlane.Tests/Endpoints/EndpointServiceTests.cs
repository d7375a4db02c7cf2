using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Store;

namespace ScoreGate.ControlPlane.Tests.Endpoints;

/// <summary>Use cases validate, write, and publish a new route table: a refused change changes nothing.</summary>
public sealed class EndpointServiceTests : IAsyncLifetime
{
    private PublishingStore _published = null!;
    private EndpointService _service = null!;

    public async Task InitializeAsync()
    {
        _published = await PublishingStore.OpenAsync();
        _service = new EndpointService(_published.Store, _published.Publisher, new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger<EndpointService>.Instance);
    }

    [Fact]
    public async Task CreateEndpoint_PublishesItWithTwoDistinct256BitKeys()
    {
        var created = await _service.CreateEndpointAsync("iris", null, null, default);

        Assert.Null(created.Error);
        Assert.NotEqual(created.Value!.PrimaryKey, created.Value.SecondaryKey);
        Assert.Equal(32, Convert.FromBase64String(created.Value.PrimaryKey.Replace('-', '+').Replace('_', '/') + "=").Length);
        var route = _published.Routes.Current.Find("iris");
        Assert.NotNull(route);
        Assert.True(route.Keys.Accepts(created.Value.PrimaryKey));
        Assert.True(route.Keys.Accepts(created.Value.SecondaryKey));
    }

    [Fact]
    public async Task Refusals_NameTheFileFieldTheyConcern()
    {
        await _service.CreateEndpointAsync("iris", null, null, default);
        await _service.CreateDeploymentAsync("iris", "blue", ["http://127.0.0.1:1"], null, null, default);
        await _service.UpdateTrafficAsync("iris", new Dictionary<string, int> { ["blue"] = 100 }, default);

        var fields = new[]
        {
            (await _service.CreateEndpointAsync("aad", "aad_token", null, default)).Error?.Field,
            (await _service.UpdateEndpointAsync("iris", new EndpointUpdate(null, null, null, null, "aad_token"), default)).Error?.Field,
            (await _service.UpdateTrafficAsync("iris", new Dictionary<string, int> { ["purple"] = 100 }, default)).Error?.Field,
            (await _service.UpdateEndpointAsync("iris", new EndpointUpdate(null, new Dictionary<string, int> { ["blue"] = 10 }, null, null), default)).Error?.Field,
            (await _service.CreateDeploymentAsync("iris", "slow", ["http://127.0.0.1:2"], new RequestSettings(MaxQueueWaitMs: -1), null, default)).Error?.Field,
            (await _service.UpdateDeploymentAsync("iris", "blue", null, new RequestSettings(RequestTimeoutMs: 0), null, default)).Error?.Field,
            (await _service.CreateDeploymentAsync("nowhere", "green", ["http://127.0.0.1:3"], null, null, default)).Error?.Field,
            (await _service.CreateDeploymentAsync("iris", "blue", ["http://127.0.0.1:4"], null, null, default)).Error?.Field,
            (await _service.CreateEndpointAsync("iris", null, new EndpointDetails(new string('d', 5000), new Dictionary<string, string>(), new Dictionary<string, int>()), default)).Error?.Field,
        };

        Assert.Equal(
            ["auth_mode", "auth_mode", "traffic", "mirror_traffic", "request_settings.max_queue_wait_ms", "request_settings.request_timeout_ms", "endpoint_name", "name", "description"],
            fields.Select(f => f ?? "(none)"));
    }

    [Fact]
    public async Task PublicNetworkAccess_DisabledAndBack_IsStoredAndPublished()
    {
        var created = await _service.CreateEndpointAsync("iris", null, EndpointDetails.Empty with { PublicNetworkAccess = "Disabled" }, default);

        Assert.Null(created.Error);
        Assert.Equal("disabled", created.Value!.Details.PublicNetworkAccess);
        Assert.True(_published.Routes.Current.Find("iris")!.PrivateOnly);

        var enabled = await _service.UpdateEndpointAsync("iris", new EndpointUpdate(null, null, null, null, PublicNetworkAccess: "enabled"), default);

        Assert.Null(enabled.Error);
        Assert.Equal("enabled", (await _service.GetEndpointAsync("iris", default)).Value!.Details.PublicNetworkAccess);
        Assert.False(_published.Routes.Current.Find("iris")!.PrivateOnly);
    }

    [Fact]
    public async Task PublicNetworkAccess_OtherValue_IsRefusedNamingTheField()
    {
        await _service.CreateEndpointAsync("iris", null, null, default);

        var created = await _service.CreateEndpointAsync("penguins", null, EndpointDetails.Empty with { PublicNetworkAccess = "private" }, default);
        var updated = await _service.UpdateEndpointAsync("iris", new EndpointUpdate(null, null, null, null, PublicNetworkAccess: "off"), default);

        Assert.Equal("public_network_access", created.Error!.Field);
        Assert.Equal("'private' is not supported. Use enabled (the default: every client may score) or disabled (only clients in the router's privateNetworks setting may score).", created.Error.Message);
        Assert.Equal("public_network_access", updated.Error!.Field);
        Assert.Null(_published.Routes.Current.Find("penguins"));
        Assert.False(_published.Routes.Current.Find("iris")!.PrivateOnly);
    }

    [Fact]
    public async Task RegeneratePrimary_KeepsSecondary_AndPublishesAtOnce()
    {
        var created = (await _service.CreateEndpointAsync("iris", "key", null, default)).Value!;

        var regenerated = (await _service.RegenerateKeyAsync("iris", "Primary", default)).Value!;

        Assert.NotEqual(created.PrimaryKey, regenerated.PrimaryKey);
        Assert.Equal(created.SecondaryKey, regenerated.SecondaryKey);
        Assert.False(_published.Routes.Current.Find("iris")!.Keys.Accepts(created.PrimaryKey));
        Assert.True(_published.Routes.Current.Find("iris")!.Keys.Accepts(regenerated.PrimaryKey));
    }

    [Fact]
    public async Task UpdateTraffic_Refused_LeavesTableAsItWas()
    {
        await _service.CreateEndpointAsync("iris", null, null, default);
        await _service.CreateDeploymentAsync("iris", "blue", ["http://127.0.0.1:1"], null, null, default);
        await _service.UpdateTrafficAsync("iris", new Dictionary<string, int> { ["blue"] = 100 }, default);
        var revision = _published.Routes.Current.Revision;

        var refused = await _service.UpdateTrafficAsync("iris", new Dictionary<string, int> { ["blue"] = 150 }, default);

        Assert.Equal(OperationErrorKind.Invalid, refused.Error!.Kind);
        Assert.Equal("Endpoint 'iris': traffic for 'blue' is 150; give a whole percent from 0 to 100.", refused.Error.Message);
        Assert.Equal(revision, _published.Routes.Current.Revision);
        Assert.Equal("blue", _published.Routes.Current.Find("iris")!.PickByWeight(99)!.Name);
    }

    [Fact]
    public async Task UpdateTraffic_NamesInAnyCase_StoredWithDeploymentSpelling()
    {
        await _service.CreateEndpointAsync("iris", null, null, default);
        await _service.CreateDeploymentAsync("iris", "Blue", ["http://127.0.0.1:1"], null, null, default);

        var updated = await _service.UpdateTrafficAsync("iris", new Dictionary<string, int> { ["BLUE"] = 100 }, default);

        Assert.Equal(100, updated.Value!.Traffic["Blue"]);
    }

    [Fact]
    public async Task DeleteDeployment_WithoutTraffic_RemovesItFromTheTable()
    {
        await _service.CreateEndpointAsync("iris", null, null, default);
        await _service.CreateDeploymentAsync("iris", "blue", ["http://127.0.0.1:1"], null, null, default);
        await _service.UpdateTrafficAsync("iris", new Dictionary<string, int> { ["blue"] = 0 }, default);

        var deleted = await _service.DeleteDeploymentAsync("iris", "blue", default);

        Assert.Null(deleted.Error);
        Assert.Null(_published.Routes.Current.Find("iris")!.FindDeployment("blue"));
        Assert.Empty((await _service.GetEndpointAsync("iris", default)).Value!.Traffic);
    }

    [Theory]
    [InlineData("green", 10, null)]
    [InlineData("green", 60, "Endpoint 'iris': mirror_traffic for 'green' is 60; mirror at most 50 percent.")]
    [InlineData("blue", 10, "Endpoint 'iris': deployment 'blue' cannot take live and mirrored traffic at once. To give it live traffic, stop its mirror first (--mirror-traffic blue=0, or mirror_traffic: {blue: 0} in the same file); to mirror to it, give it 0 live traffic.")]
    [InlineData("purple", 10, "Endpoint 'iris': mirror_traffic names deployment 'purple', which it does not have. Create the deployment first.")]
    public async Task MirrorTraffic_FollowsAzureMlsRules_AndIsPublished(string deployment, int percent, string? expected)
    {
        await _service.CreateEndpointAsync("iris", null, null, default);
        await _service.CreateDeploymentAsync("iris", "blue", ["http://127.0.0.1:1"], null, null, default);
        await _service.CreateDeploymentAsync("iris", "green", ["http://127.0.0.1:2"], null, null, default);
        await _service.UpdateTrafficAsync("iris", new Dictionary<string, int> { ["blue"] = 100 }, default);

        var result = await _service.UpdateEndpointAsync("iris", new EndpointUpdate(null, new Dictionary<string, int> { [deployment] = percent }, null, null), default);

        Assert.Equal(expected, result.Error?.Message);
        var route = _published.Routes.Current.Find("iris")!;
        Assert.Equal(expected is null ? "green" : null, route.Mirror?.Name);
        Assert.Equal(expected is null ? percent : 0, route.MirrorPercent);
    }

    [Fact]
    public async Task MirrorTraffic_ToTwoDeployments_OrDeletingTheMirror_IsRefused()
    {
        await _service.CreateEndpointAsync("iris", null, null, default);
        foreach (var name in new[] { "blue", "green", "red" })
        {
            await _service.CreateDeploymentAsync("iris", name, [$"http://{name}:1"], null, null, default);
        }

        var two = await _service.UpdateEndpointAsync("iris", new EndpointUpdate(null, new Dictionary<string, int> { ["green"] = 10, ["red"] = 5 }, null, null), default);
        await _service.UpdateEndpointAsync("iris", new EndpointUpdate(null, new Dictionary<string, int> { ["green"] = 10 }, null, null), default);
        var delete = await _service.DeleteDeploymentAsync("iris", "green", default);

        Assert.Equal("Endpoint 'iris': mirror_traffic names 2 deployments (green, red); mirror to one at a time.", two.Error?.Message);
        Assert.Equal("Deployment 'green' still receives 10% of endpoint 'iris''s traffic as a mirror. Set its mirror_traffic to 0 first, then delete it.", delete.Error?.Message);
    }

    [Theory]
    [InlineData(5000, 1, 500, null)]
    [InlineData(0, 1, 500, "Deployment 'blue': request_timeout_ms is 0; give 1 to 300000.")]
    [InlineData(5000, 0, 500, "Deployment 'blue': max_concurrent_requests_per_instance is 0; give 1 to 1000.")]
    [InlineData(5000, 1, -1, "Deployment 'blue': max_queue_wait_ms is -1; give 0 to 300000.")]
    public async Task CreateDeployment_RequestSettings_AreChecked(int timeout, int concurrency, int queueWait, string? expected)
    {
        await _service.CreateEndpointAsync("iris", null, null, default);

        var result = await _service.CreateDeploymentAsync("iris", "blue", ["http://127.0.0.1:1"], new RequestSettings(timeout, concurrency, queueWait), null, default);

        Assert.Equal(expected, result.Error?.Message);
    }

    [Fact]
    public async Task CreateDeployment_DuplicateUrl_IsRefused()
    {
        await _service.CreateEndpointAsync("iris", null, null, default);

        var result = await _service.CreateDeploymentAsync("iris", "blue", ["http://127.0.0.1:1", "http://127.0.0.1:1/"], null, null, default);

        Assert.Equal("Deployment 'blue': 'http://127.0.0.1:1' is given more than once. Give each instance once.", result.Error!.Message);
    }

    [Fact]
    public async Task CreateEndpoint_Twice_IsAConflict()
    {
        await _service.CreateEndpointAsync("iris", null, null, default);

        var again = await _service.CreateEndpointAsync("IRIS", null, null, default);

        Assert.Equal(OperationErrorKind.Conflict, again.Error!.Kind);
        Assert.Equal("Endpoint 'IRIS' already exists. Choose another name, or change it with 'scoregate endpoint update'.", again.Error.Message);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("a-very-long-endpoint-name-over-32c")]
    [InlineData("ends-with-")]
    [InlineData("has space")]
    [InlineData("has/slash")]
    [InlineData("ünïcode")]
    public void NameRules_InvalidNames_AreRefused(string name)
    {
        Assert.Equal($"'{name}' is not a valid endpoint name: use 3 to 32 letters, digits or hyphens, starting with a letter and not ending with a hyphen.", NameRules.Check(name, "endpoint"));
    }

    public Task DisposeAsync()
    {
        _published.Dispose();
        return Task.CompletedTask;
    }
    [Theory]
    [InlineData("trail\n")]
    [InlineData("trail\r\n")]
    [InlineData("tr\nail")]
    [InlineData("trail ")]
    public async Task CreateEndpoint_NameWithAControlCharacterOrSpace_IsRefused(string name)
    {
        var created = await _service.CreateEndpointAsync(name, null, null, default);

        Assert.Equal(OperationErrorKind.Invalid, created.Error?.Kind);
        Assert.Equal($"'{name}' is not a valid endpoint name: use 3 to 32 letters, digits or hyphens, starting with a letter and not ending with a hyphen.", created.Error!.Message);
        Assert.Empty(await _published.Store.ListEndpointsAsync());
    }

    [Fact]
    public async Task CreateEndpoint_OverlongDescriptionAndTooManyTags_IsRefusedNamingBothLimits()
    {
        var tags = Enumerable.Range(0, 51).ToDictionary(i => $"t{i}", i => "v");
        var created = await _service.CreateEndpointAsync("iris", null, new EndpointDetails(new string('d', 4097), tags, new Dictionary<string, int>()), default);

        Assert.Equal(OperationErrorKind.Invalid, created.Error?.Kind);
        Assert.Equal("Endpoint 'iris': its description is 4097 characters long; keep it to 4096; it has 51 tags; give at most 50.", created.Error!.Message);
        Assert.Empty(await _published.Store.ListEndpointsAsync());
    }

    [Fact]
    public async Task UpdateDeployment_OverlongTagNameOrValue_IsRefused_AndKeepsTheDeployment()
    {
        await _service.CreateEndpointAsync("iris", null, null, default);
        await _service.CreateDeploymentAsync("iris", "blue", ["http://127.0.0.1:1"], null, null, default);
        var details = new DeploymentDetails(null, new Dictionary<string, string> { [new string('n', 513)] = "v", ["owner"] = new string('v', 257) }, null, null);

        var updated = await _service.UpdateDeploymentAsync("iris", "blue", null, null, details, default);

        Assert.Equal(OperationErrorKind.Invalid, updated.Error?.Kind);
        Assert.Equal(
            $"Deployment 'blue': the tag name '{new string('n', 40)}...' is 513 characters long; keep tag names to 512; the value of tag 'owner' is 257 characters long; keep tag values to 256.",
            updated.Error!.Message);
        Assert.Empty((await _service.GetDeploymentAsync("iris", "blue", default)).Value!.Details.Tags);
    }

    [Fact]
    public async Task Tokens_OfADeletedEndpoint_AreRefusedByOneCreatedAgainUnderItsName()
    {
        var first = (await _service.CreateEndpointAsync("iris", "aml_token", null, default)).Value!;
        await _service.DeleteEndpointAsync("iris", default);
        var second = (await _service.CreateEndpointAsync("iris", "aml_token", null, default)).Value!;

        Assert.NotEqual(first.Incarnation, second.Incarnation);
        Assert.Equal($"iris/{second.Incarnation}", _published.Routes.Current.Find("iris")!.TokenAudience);
    }
}
