using ScoreGate.Dns.Tsig;

namespace ScoreGate.Dns.Tests.Tsig;

public sealed class TsigKeyTests
{
    [Theory]
    [InlineData("ddns-key", "not base64!", null, "the secret is not base64; copy the secret \"...\" value from the key file tsig-keygen wrote")]
    [InlineData("ddns-key", "c2VjcmV0", "hmac-md5", "algorithm 'hmac-md5' is not supported; use hmac-sha256 or hmac-sha512")]
    [InlineData("", "c2VjcmV0", null, "the key name is not a DNS name: it is empty")]
    [InlineData("a..b", "c2VjcmV0", null, "the key name is not a DNS name: 'a..b' has a label of 0 characters; each must have 1 to 63.")]
    public void Parse_BadInput_SaysWhatIsWrong(string name, string secret, string? algorithm, string expected)
    {
        var result = TsigKey.Parse(name, secret, algorithm);

        Assert.Null(result.Key);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public void ToString_NeverShowsTheSecret()
    {
        var key = TsigKey.Parse("ddns-key.", "c2VjcmV0LXNlY3JldA==", "HMAC-SHA512").Key!;

        Assert.Equal("TSIG key 'ddns-key' (hmac-sha512)", key.ToString());
    }
}
