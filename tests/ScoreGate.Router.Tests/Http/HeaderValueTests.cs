using ScoreGate.Router.Http;

namespace ScoreGate.Router.Tests.Http;

public class HeaderValueTests
{
    [Theory]
    [InlineData("req-42")]
    [InlineData("a b ~!")]
    [InlineData("")]
    public void IsSafe_VisibleAsciiAndSpaces_True(string value)
    {
        Assert.True(HeaderValue.IsSafe(value));
    }

    [Theory]
    [InlineData("abc\u0001def")]
    [InlineData("abc\ndef")]
    [InlineData("abc\rdef")]
    [InlineData("abc\0")]
    [InlineData("tab\there")]
    [InlineData("del\u007f")]
    [InlineData("c1\u0085")]
    [InlineData("caf\u00e9")]
    [InlineData("\u202eevil")]
    public void IsSafe_ControlOrNonAscii_False(string value)
    {
        Assert.False(HeaderValue.IsSafe(value));
        Assert.False(HeaderValue.AreSafe(new(["ok", value])));
    }
}
