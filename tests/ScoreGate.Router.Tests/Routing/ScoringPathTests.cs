using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Tests.Routing;

public sealed class ScoringPathTests
{
    [Theory]
    [InlineData("/api/v1/service/iris/score", "iris", "/score")]
    [InlineData("/API/V1/SERVICE/Iris/Score", "Iris", "/score")]
    [InlineData("/api/v1/service/iris/swagger.json", "iris", "/swagger.json")]
    public void TryParse_ScoringUri_FindsEndpointAndModelPath(string path, string endpoint, string modelPath)
    {
        Assert.True(ScoringPath.TryParse(path, out var name, out var model));
        Assert.Equal(endpoint, name.ToString());
        Assert.Equal(modelPath, model);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/")]
    [InlineData("/api/v1/service/")]
    [InlineData("/api/v1/service//score")]
    [InlineData("/api/v1/service/iris")]
    [InlineData("/api/v1/service/iris/score/extra")]
    [InlineData("/api/v1/service/iris/predict")]
    [InlineData("/api/v2/service/iris/score")]
    [InlineData("/api/v1/service/iris/score\n")]
    [InlineData("/api/v1/service/iris/swagger.json\n")]
    public void TryParse_OtherPaths_AreNotScoringUris(string? path)
    {
        Assert.False(ScoringPath.TryParse(path, out _, out _));
    }

    [Theory]
    [InlineData("/api/v1/service/iris\n/score", "iris\n")]
    [InlineData("/api/v1/service/iris /score", "iris ")]
    public void TryParse_NameWithTrailingControlOrSpace_KeepsItWhole(string path, string expected)
    {
        Assert.True(ScoringPath.TryParse(path, out var endpoint, out _));
        Assert.Equal(expected, endpoint.ToString());
    }

    [Theory]
    [InlineData("/score\n")]
    [InlineData("/swagger.json\n")]
    public void TryParseHostPath_TrailingNewline_IsNotAScoringUri(string path)
    {
        Assert.False(ScoringPath.TryParseHostPath(path, out _));
    }
}
