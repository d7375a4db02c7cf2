using System.Net;
using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Tests.Routing;

/// <summary>privateNetworks and trustedProxies: exact entries only, each bad one named with how to write it.</summary>
public sealed class NetworkListTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("127.0.0.1/32", "::ffff:127.0.0.1", true)]
    [InlineData("fc00::/7", "fd12:3456::1", true)]
    [InlineData("fc00::/7", "fe80::1", false)]
    [InlineData(" 192.168.0.0/16 , ::1 ", "::1", true)]
    [InlineData("0.0.0.0/0", "203.0.113.7", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    public void Contains_MatchesItsNetworksOnly(string list, string address, bool expected)
    {
        var networks = NetworkList.Parse(list, out var problem);

        Assert.Null(problem);
        Assert.Equal(expected, networks!.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.200.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.9.9", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::5", true)]
    [InlineData("203.0.113.7", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("169.254.1.1", false)]
    public void Private_IsLoopbackRfc1918AndUla(string address, bool expected) =>
        Assert.Equal(expected, NetworkList.Private.Contains(IPAddress.Parse(address)));

    [Fact]
    public void Parse_Blank_IsEmpty()
    {
        Assert.True(NetworkList.Parse("  ", out _)!.IsEmpty);
        Assert.False(NetworkList.Empty.Contains(IPAddress.Loopback));
    }

    [Theory]
    [InlineData("10.0.0.0/33", "has '10.0.0.0/33', whose prefix length '33' is not a whole number from 0 to 32. Write it like 10.0.0.0/8")]
    [InlineData("fd00::/129", "has 'fd00::/129', whose prefix length '129' is not a whole number from 0 to 128. Write it like fd00::/8")]
    [InlineData("10.0.0.0/-1", "has '10.0.0.0/-1', whose prefix length '-1' is not a whole number from 0 to 32. Write it like 10.0.0.0/8")]
    [InlineData("10.0.0.0/", "has '10.0.0.0/', whose prefix length '' is not a whole number from 0 to 32. Write it like 10.0.0.0/8")]
    [InlineData("10.0.0.1/8", "has '10.0.0.1/8', which has bits set after its first 8. Write the network, 10.0.0.0/8, or the single address, 10.0.0.1/32")]
    [InlineData("fd00::1/8", "has 'fd00::1/8', which has bits set after its first 8. Write the network, fd00::/8, or the single address, fd00::1/128")]
    [InlineData("10.0.0.0/8,,192.168.0.0/16", "has an empty entry (two commas in a row, or one at an end). Remove the extra comma")]
    [InlineData("10.0.0.0/8,", "has an empty entry (two commas in a row, or one at an end). Remove the extra comma")]
    [InlineData("localhost", "has 'localhost', which is not an IP address or CIDR prefix. Write entries like 10.0.0.0/8, 192.168.1.20 or fd00::/8")]
    [InlineData("10.1/16", "has '10.1/16', which is not an IP address or CIDR prefix. Write entries like 10.0.0.0/8, 192.168.1.20 or fd00::/8")]
    [InlineData("10.0.0.0-10.0.0.9", "has '10.0.0.0-10.0.0.9', which is not an IP address or CIDR prefix. Write entries like 10.0.0.0/8, 192.168.1.20 or fd00::/8")]
    [InlineData("fe80::1%eth0", "has 'fe80::1%eth0', which is not an IP address or CIDR prefix. Write entries like 10.0.0.0/8, 192.168.1.20 or fd00::/8")]
    [InlineData("::ffff:10.0.0.1", "has '::ffff:10.0.0.1', an IPv4 address written as IPv6. Write it as IPv4 (10.0.0.1): clients' IPv4-mapped addresses are compared as IPv4")]
    public void Parse_BadEntry_SaysWhatAndHowToWriteIt(string text, string expected)
    {
        Assert.Null(NetworkList.Parse(text, out var problem));
        Assert.Equal(expected, problem);
    }
}
