using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Store;

namespace ScoreGate.ControlPlane.Tests.Endpoints;

/// <summary>
/// Use cases whose write loses a race recompute from a fresh read: each test lets another change
/// commit between the use case's read and its write, exactly once, and checks both changes hold.
/// </summary>
public sealed class EndpointConcurrencyTests : IAsyncLifetime
{
    private PublishingStore _published = null!;
    private EndpointService _direct = null!;

    public async Task InitializeAsync()
    {
        _published = await PublishingStore.OpenAsync();
        _direct = Service(_published.Store);
        await _direct.CreateEndpointAsync("iris", null, null, default);
        await _direct.CreateDeploymentAsync("iris", "blue", ["http://127.0.0.1:1"], null, null, default);
        await _direct.CreateDeploymentAsync("iris", "green", ["http://127.0.0.1:2"], null, null, default);
        await _direct.UpdateTrafficAsync("iris", new Dictionary<string, int> { ["blue"] = 100 }, default);
    }

    [Fact]
    public async Task RegenerateKey_WhileTheDescriptionChanges_KeepsTheNewKeyAndTheDescription()
    {
        var old = (await _direct.GetEndpointAsync("iris", default)).Value!;
        var service = Service(Interfering.Before(_published.Store, nameof(IScoreGateStore.UpdateEndpointAsync),
            () => _direct.UpdateEndpointAsync("iris", new EndpointUpdate(null, null, "changed meanwhile", null), default)));

        var regenerated = (await service.RegenerateKeyAsync("iris", "primary", default)).Value!;

        var stored = (await _direct.GetEndpointAsync("iris", default)).Value!;
        Assert.NotEqual(old.PrimaryKey, stored.PrimaryKey);
        Assert.Equal(regenerated.PrimaryKey, stored.PrimaryKey);
        Assert.Equal("changed meanwhile", stored.Details.Description);
        Assert.True(_published.Routes.Current.Find("iris")!.Keys.Accepts(stored.PrimaryKey));
        Assert.False(_published.Routes.Current.Find("iris")!.Keys.Accepts(old.PrimaryKey));
    }

    [Fact]
    public async Task RegenerateKey_WhileAnotherRegeneratesTheSameKey_GivesBothCallersOneNewKey()
    {
        string? otherKey = null;
        var service = Service(Interfering.Before(_published.Store, nameof(IScoreGateStore.UpdateEndpointAsync), async () =>
            otherKey = (await _direct.RegenerateKeyAsync("iris", "primary", default)).Value!.PrimaryKey));

        var regenerated = (await service.RegenerateKeyAsync("iris", "primary", default)).Value!;

        Assert.NotNull(otherKey);
        Assert.Equal(otherKey, regenerated.PrimaryKey);
        Assert.Equal(otherKey, (await _direct.GetEndpointAsync("iris", default)).Value!.PrimaryKey);
    }

    [Fact]
    public async Task DeleteDeployment_WhileTrafficMovesToIt_IsRefused_AndTrafficStaysOnExistingDeployments()
    {
        var service = Service(Interfering.Before(_published.Store, nameof(IScoreGateStore.DeleteDeploymentAsync),
            () => _direct.UpdateTrafficAsync("iris", new Dictionary<string, int> { ["green"] = 100 }, default)));

        var deleted = await service.DeleteDeploymentAsync("iris", "green", default);

        Assert.Equal(OperationErrorKind.Conflict, deleted.Error?.Kind);
        Assert.StartsWith("Deployment 'green' still receives 100% of endpoint 'iris''s traffic.", deleted.Error!.Message);
        Assert.NotNull((await _direct.GetDeploymentAsync("iris", "green", default)).Value);
        Assert.Equal("green", _published.Routes.Current.Find("iris")!.PickByWeight(0)!.Name);
    }

    [Fact]
    public async Task UpdateTraffic_WhileItsDeploymentIsDeleted_IsRefused_NamingTheMissingDeployment()
    {
        var service = Service(Interfering.Before(_published.Store, nameof(IScoreGateStore.UpdateEndpointAsync),
            () => _direct.DeleteDeploymentAsync("iris", "green", default)));

        var updated = await service.UpdateTrafficAsync("iris", new Dictionary<string, int> { ["blue"] = 50, ["green"] = 50 }, default);

        Assert.Equal(OperationErrorKind.Invalid, updated.Error?.Kind);
        Assert.Equal("Endpoint 'iris': traffic names deployment 'green', which endpoint 'iris' does not have (it has blue).", updated.Error!.Message);
        Assert.Equal(100, (await _direct.GetEndpointAsync("iris", default)).Value!.Traffic["blue"]);
    }

    [Fact]
    public async Task UpdateEndpoint_ThatLosesEveryTime_Is409SayingNothingChanged()
    {
        var service = Service(Interfering.Always(_published.Store, nameof(IScoreGateStore.UpdateEndpointAsync),
            () => _direct.UpdateEndpointAsync("iris", new EndpointUpdate(null, null, Guid.NewGuid().ToString(), null), default)));

        var updated = await service.UpdateEndpointAsync("iris", new EndpointUpdate(null, null, "mine", null), default);

        Assert.Equal(OperationErrorKind.ChangedMeanwhile, updated.Error?.Kind);
        Assert.Equal(
            $"Endpoint 'iris' was changed by other calls while this one was being applied, {ConflictRetry.MaxAttempts} times in a row, so this call changed nothing. Look at its current state ('show') and send the change again.",
            updated.Error!.Message);
        Assert.NotEqual("mine", (await _direct.GetEndpointAsync("iris", default)).Value!.Details.Description);
    }

    public Task DisposeAsync()
    {
        _published.Dispose();
        return Task.CompletedTask;
    }

    private EndpointService Service(IScoreGateStore store) =>
        new(store, _published.Publisher, new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger<EndpointService>.Instance);

    /// <summary>A store that runs another change just before one of its methods, once or every time.</summary>
    public class Interfering : DispatchProxy
    {
        private IScoreGateStore _inner = null!;
        private string _method = null!;
        private Func<Task> _interfere = null!;
        private bool _always;
        private bool _done;

        public static IScoreGateStore Before(IScoreGateStore inner, string method, Func<Task> interfere) => Create(inner, method, interfere, always: false);

        public static IScoreGateStore Always(IScoreGateStore inner, string method, Func<Task> interfere) => Create(inner, method, interfere, always: true);

        private static IScoreGateStore Create(IScoreGateStore inner, string method, Func<Task> interfere, bool always)
        {
            var proxy = DispatchProxy.Create<IScoreGateStore, Interfering>();
            var self = (Interfering)(object)proxy;
            (self._inner, self._method, self._interfere, self._always) = (inner, method, interfere, always);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == _method && (_always || !_done))
            {
                _done = true;
                _interfere().GetAwaiter().GetResult();
            }

            return targetMethod.Invoke(_inner, args);
        }
    }
}
