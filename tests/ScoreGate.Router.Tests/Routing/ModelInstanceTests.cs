using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Tests.Routing;

public class ModelInstanceTests
{
    [Theory]
    [InlineData("http://model:5001", "/score", null, "http://model:5001/score")]
    [InlineData("http://model:5001/", "/score", "", "http://model:5001/score")]
    [InlineData("http://model:5001/v2/", "/swagger.json", null, "http://model:5001/v2/swagger.json")]
    [InlineData("http://model:5001", "/score", "?verbose=true", "http://model:5001/score?verbose=true")]
    public void TargetFor_JoinsInstancePathAndQuery(string url, string modelPath, string? query, string expected)
    {
        var instance = new ModelInstance(new Uri(url));

        Assert.Equal(expected, instance.TargetFor(modelPath, query).AbsoluteUri);
    }

    [Fact]
    public void TargetFor_BuildsEachModelPathOnce()
    {
        var instance = new ModelInstance(new Uri("http://model:5001"));

        Assert.Same(instance.TargetFor(ScoringPath.Score, null), instance.TargetFor(ScoringPath.Score, string.Empty));
        Assert.Same(instance.TargetFor(ScoringPath.Swagger, null), instance.TargetFor(ScoringPath.Swagger, null));
        Assert.NotSame(instance.TargetFor(ScoringPath.Score, "?a=1"), instance.TargetFor(ScoringPath.Score, "?a=1"));
    }
}
