using ScoreGate.Router.Auth;
using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Tests.Routing;

public sealed class EndpointRouteTests
{
    private static readonly DeploymentRoute Blue = new("blue", [new Uri("http://127.0.0.1:1")], RequestLimits.Default);
    private static readonly DeploymentRoute Green = new("green", [new Uri("http://127.0.0.1:2")], RequestLimits.Default);

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

    private static EndpointRoute Endpoint(Dictionary<string, int> traffic) =>
        new("iris", EndpointAuthMode.Key, new EndpointKeys("p", "s"), [Blue, Green], traffic);
}
