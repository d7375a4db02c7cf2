using ScoreGate.Router.Auth;
using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Tests.Routing;

public sealed class EndpointRouteTests
{
    private static readonly DeploymentRoute Blue = new("blue", [new Uri("http://127.0.0.1:1")], TimeSpan.FromSeconds(5));
    private static readonly DeploymentRoute Green = new("green", [new Uri("http://127.0.0.1:2")], TimeSpan.FromSeconds(5));

    [Theory]
    [InlineData(0, "blue")]
    [InlineData(89, "blue")]
    [InlineData(90, "green")]
    [InlineData(99, "green")]
    public void PickByWeight_NinetyTen_SplitsTheRollRange(int roll, string expected)
    {
        var endpoint = Endpoint(new() { ["blue"] = 90, ["green"] = 10 });

        Assert.Equal(expected, endpoint.PickByWeight(roll)?.Name);
    }

    [Fact]
    public void PickByWeight_NoTraffic_PicksNothing()
    {
        var endpoint = Endpoint(new() { ["blue"] = 0, ["green"] = 0 });

        Assert.All(Enumerable.Range(0, 100), roll => Assert.Null(endpoint.PickByWeight(roll)));
    }

    [Fact]
    public void FindDeployment_IgnoresCase()
    {
        Assert.Same(Green, Endpoint([]).FindDeployment("GREEN"));
        Assert.Null(Endpoint([]).FindDeployment("purple"));
    }

    [Fact]
    public void NextInstance_SeveralInstances_AreUsedInTurn()
    {
        var deployment = new DeploymentRoute("multi", [new Uri("http://a:1"), new Uri("http://b:1"), new Uri("http://c:1")], TimeSpan.FromSeconds(5));

        var picked = Enumerable.Range(0, 9).Select(_ => deployment.NextInstance()!.Host).ToList();

        Assert.Equal(3, picked.Distinct().Count());
        Assert.All(picked.CountBy(h => h), c => Assert.Equal(3, c.Value));
    }

    [Fact]
    public void NextInstance_NoInstances_IsNull()
    {
        Assert.Null(new DeploymentRoute("empty", [], TimeSpan.FromSeconds(1)).NextInstance());
    }

    private static EndpointRoute Endpoint(Dictionary<string, int> traffic) =>
        new("iris", EndpointAuthMode.Key, new EndpointKeys("p", "s"), [Blue, Green], traffic);
}
