using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Tests.Endpoints;

/// <summary>aad_token needs oidcAuthority; allowed_callers needs aad_token; both reach the route table.</summary>
public sealed class AadTokenEndpointTests : IAsyncLifetime
{
    private static readonly OidcSettings Provider = new(new Uri("https://idp.example.com"), "api://scoring");

    private PublishingStore _published = null!;

    public async Task InitializeAsync() => _published = await PublishingStore.OpenAsync();

    public Task DisposeAsync()
    {
        _published.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Create_AadTokenWithoutOidcAuthority_IsRefused_AndNothingIsStored()
    {
        var created = await Service(oidc: null).CreateEndpointAsync("iris", "aad_token", null, default);

        Assert.Equal(OperationErrorKind.Invalid, created.Error!.Kind);
        Assert.Equal("auth_mode", created.Error.Field);
        Assert.Equal(
            "Endpoint 'iris' cannot use aad_token: it needs the router setting oidcAuthority (the OpenID Connect issuer whose tokens it accepts) and oidcAudience. " +
            "Restart the router with both set, or choose another auth mode (key (the default), aml_token, aad_token or none).", created.Error.Message);
        Assert.Empty(await _published.Store.ListEndpointsAsync(default));
    }

    [Fact]
    public async Task Update_ToAadTokenWithoutOidcAuthority_IsRefused_AndTheModeStays()
    {
        var service = Service(oidc: null);
        await service.CreateEndpointAsync("iris", "key", null, default);

        var updated = await service.UpdateEndpointAsync("iris", new EndpointUpdate(null, null, null, null, AuthMode: "aad_token"), default);

        Assert.Equal("auth_mode", updated.Error!.Field);
        Assert.Equal(EndpointAuthMode.Key, (await service.GetEndpointAsync("iris", default)).Value!.AuthMode);
    }

    [Fact]
    public async Task Create_AadTokenWithAllowedCallers_ReachesTheRouteTable()
    {
        var details = EndpointDetails.Empty with { AllowedCallers = new AllowedCallers(["Scorer"], [], ["oid-1"]) };

        var created = await Service(Provider).CreateEndpointAsync("iris", "aad_token", details, default);

        Assert.Null(created.Error);
        var route = _published.Routes.Current.Find("iris")!;
        Assert.Equal(EndpointAuthMode.AadToken, route.AuthMode);
        Assert.Equal(["Scorer"], route.AllowedCallers.Roles);
        Assert.Equal(["oid-1"], (await _published.Store.FindEndpointAsync("iris", default))!.Details.AllowedCallers!.Subjects);
    }

    [Fact]
    public async Task AllowedCallers_WithAnotherAuthMode_IsRefused()
    {
        var details = EndpointDetails.Empty with { AllowedCallers = new AllowedCallers(["Scorer"], [], []) };

        var created = await Service(Provider).CreateEndpointAsync("iris", "key", details, default);

        Assert.Equal("allowed_callers", created.Error!.Field);
        Assert.StartsWith("Endpoint 'iris' uses key auth, but allowed_callers applies only to aad_token", created.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    public async Task AllowedCallers_WithABadEntry_IsRefused_NamingTheList(string role)
    {
        var details = EndpointDetails.Empty with { AllowedCallers = new AllowedCallers([role], [], []) };

        var created = await Service(Provider).CreateEndpointAsync("iris", "aad_token", details, default);

        Assert.Equal("allowed_callers.roles", created.Error!.Field);
    }

    [Fact]
    public async Task Update_AllowedCallers_ChangesOnlyTheListsGiven_AndEmptyListsLiftThem()
    {
        var service = Service(Provider);
        await service.CreateEndpointAsync("iris", "aad_token", EndpointDetails.Empty with { AllowedCallers = new AllowedCallers(["Scorer"], ["score"], []) }, default);

        await service.UpdateEndpointAsync("iris", new EndpointUpdate(null, null, null, null, AllowedCallers: new AllowedCallersChange(null, [], ["oid-1"])), default);
        var changed = (await service.GetEndpointAsync("iris", default)).Value!.Details.AllowedCallers!;
        await service.UpdateEndpointAsync("iris", new EndpointUpdate(null, null, null, null, AllowedCallers: new AllowedCallersChange([], null, [])), default);

        Assert.Equal(["Scorer"], changed.Roles);
        Assert.Empty(changed.Scopes);
        Assert.Equal(["oid-1"], changed.Subjects);
        Assert.Null((await service.GetEndpointAsync("iris", default)).Value!.Details.AllowedCallers);
    }

    private EndpointService Service(OidcSettings? oidc) =>
        new(_published.Store, _published.Publisher, new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger<EndpointService>.Instance, oidc);
}
