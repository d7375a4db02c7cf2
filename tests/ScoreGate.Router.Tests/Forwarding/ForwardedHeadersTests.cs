using Microsoft.Extensions.Primitives;
using ScoreGate.Router.Forwarding;

namespace ScoreGate.Router.Tests.Forwarding;

public class ForwardedHeadersTests
{
    [Theory]
    [InlineData("x-drop-me", "close, x-drop-me")]
    [InlineData("X-Drop-Me", "x-drop-me")]
    [InlineData("x-drop-me", "keep-alive,x-drop-me ,other")]
    [InlineData("Keep-Alive", "")]
    [InlineData("Authorization", "")]
    [InlineData("Expect", "")]
    public void HopByHop_AndNamedInConnection_StayAtTheRouter(string name, string connection)
    {
        Assert.False(ForwardedHeaders.ToModel(name, connection.Length == 0 ? StringValues.Empty : new StringValues(connection)));
    }

    [Theory]
    [InlineData("x-keep-me", "close, x-drop-me")]
    [InlineData("Content-Type", "")]
    public void EndToEndHeaders_GoOn(string name, string connection)
    {
        Assert.True(ForwardedHeaders.ToModel(name, connection.Length == 0 ? StringValues.Empty : new StringValues(connection)));
    }
}
