using ScoreGate.Router.Auth;

namespace ScoreGate.Router.Tests.Auth;

public sealed class EndpointKeysTests
{
    private readonly EndpointKeys _keys = new("primary-key-0123456789", "secondary-key-9876543210");

    [Theory]
    [InlineData("primary-key-0123456789", true)]
    [InlineData("secondary-key-9876543210", true)]
    [InlineData("primary-key-012345678", false)]
    [InlineData("primary-key-01234567890", false)]
    [InlineData("PRIMARY-KEY-0123456789", false)]
    [InlineData("", false)]
    public void Accepts_OnlyEitherKeyExactly(string token, bool expected)
    {
        Assert.Equal(expected, _keys.Accepts(token));
    }

    [Fact]
    public void Accepts_HugeToken_IsRefusedWithoutCopying()
    {
        Assert.False(_keys.Accepts(new string('a', 100_000)));
    }

    [Theory]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bearer   abc  ", "abc")]
    [InlineData("Basic abc", "")]
    [InlineData("Bearer", "")]
    [InlineData(null, "")]
    public void BearerToken_From_ReadsOnlyBearerCredentials(string? header, string expected)
    {
        Assert.Equal(expected, BearerToken.From(header).ToString());
    }
}
