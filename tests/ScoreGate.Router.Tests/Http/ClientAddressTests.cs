using System.Net;
using Microsoft.Extensions.Primitives;
using ScoreGate.Router.Http;
using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Tests.Http;

/// <summary>Who the client is: the peer, unless a trusted proxy names it in X-Forwarded-For (read from the right).</summary>
public sealed class ClientAddressTests
{
    private static readonly NetworkList Proxies = NetworkList.Parse("10.0.0.0/24,fd00::1", out _)!;

    [Fact]
    public void Resolve_NoProxy_IsThePeer()
    {
        var result = ClientAddress.Resolve(IPAddress.Parse("203.0.113.7"), StringValues.Empty, Proxies);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), result.Client);
        Assert.Equal(result.Client, result.Peer);
        Assert.Null(result.Unreadable);
    }

    [Fact]
    public void Resolve_UntrustedPeerWithSpoofedHeader_IgnoresTheHeader()
    {
        var result = ClientAddress.Resolve(IPAddress.Parse("203.0.113.7"), "127.0.0.1", Proxies);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), result.Client);
    }

    [Fact]
    public void Resolve_UntrustedPeerWithGarbage_IsStillThePeer()
    {
        var result = ClientAddress.Resolve(IPAddress.Parse("203.0.113.7"), "not an address", Proxies);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), result.Client);
        Assert.Null(result.Unreadable);
    }

    [Fact]
    public void Resolve_TrustedProxy_TakesTheAddressItNames()
    {
        var result = ClientAddress.Resolve(IPAddress.Parse("10.0.0.5"), "198.51.100.9", Proxies);

        Assert.Equal(IPAddress.Parse("198.51.100.9"), result.Client);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), result.Peer);
    }

    [Fact]
    public void Resolve_TrustedProxyWithoutHeader_IsTheProxy()
    {
        var result = ClientAddress.Resolve(IPAddress.Parse("10.0.0.5"), StringValues.Empty, Proxies);

        Assert.Equal(IPAddress.Parse("10.0.0.5"), result.Client);
    }

    [Fact]
    public void Resolve_SeveralHops_TakesTheRightmostUntrusted()
    {
        // The client claims to be 127.0.0.1; the first proxy appended what it saw (198.51.100.9), a second trusted proxy appended the first.
        var result = ClientAddress.Resolve(IPAddress.Parse("10.0.0.5"), "127.0.0.1, 198.51.100.9, 10.0.0.6", Proxies);

        Assert.Equal(IPAddress.Parse("198.51.100.9"), result.Client);
    }

    [Fact]
    public void Resolve_SeveralFields_ReadAsOneList()
    {
        var result = ClientAddress.Resolve(IPAddress.Parse("10.0.0.5"), new StringValues(["198.51.100.9", "10.0.0.6"]), Proxies);

        Assert.Equal(IPAddress.Parse("198.51.100.9"), result.Client);
    }

    [Fact]
    public void Resolve_EveryHopTrusted_IsTheLeftmost()
    {
        var result = ClientAddress.Resolve(IPAddress.Parse("10.0.0.5"), "10.0.0.7, 10.0.0.6", Proxies);

        Assert.Equal(IPAddress.Parse("10.0.0.7"), result.Client);
    }

    [Fact]
    public void Resolve_Ipv4MappedPeer_IsComparedAsIpv4()
    {
        var mapped = IPAddress.Parse("10.0.0.5").MapToIPv6();

        var result = ClientAddress.Resolve(mapped, "198.51.100.9", Proxies);

        Assert.Equal(IPAddress.Parse("10.0.0.5"), result.Peer);
        Assert.Equal(IPAddress.Parse("198.51.100.9"), result.Client);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), ClientAddress.Resolve(IPAddress.Parse("::ffff:192.0.2.1"), StringValues.Empty, NetworkList.Empty).Client);
    }

    [Theory]
    [InlineData("198.51.100.9:51234", "198.51.100.9")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("::ffff:198.51.100.9", "198.51.100.9")]
    public void Resolve_EntryForms_AreRead(string entry, string expected)
    {
        var result = ClientAddress.Resolve(IPAddress.Parse("fd00::1"), entry, Proxies);

        Assert.Equal(IPAddress.Parse(expected), result.Client);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("198.51.100.9:port")]
    [InlineData("10.1")]
    [InlineData("[2001:db8::1")]
    [InlineData("fe80::1%eth0")]
    public void Resolve_UnreadableEntryFromTrustedProxy_LeavesTheClientUnknown(string entry)
    {
        // Not the proxy: that would let every client of a private proxy into a private-only endpoint.
        var result = ClientAddress.Resolve(IPAddress.Parse("10.0.0.5"), $"{entry}, 10.0.0.6", Proxies);

        Assert.Null(result.Client);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), result.Peer);
        Assert.Equal(entry, result.Unreadable);
    }

    [Fact]
    public void Resolve_UnreadableEntryLeftOfTheClient_IsNotRead()
    {
        // What the client itself wrote, left of what the trusted proxy saw, is never looked at.
        var result = ClientAddress.Resolve(IPAddress.Parse("10.0.0.5"), "garbage, 198.51.100.9", Proxies);

        Assert.Equal(IPAddress.Parse("198.51.100.9"), result.Client);
    }

    [Fact]
    public void Resolve_EmptyElements_AreSkipped()
    {
        Assert.Equal(IPAddress.Parse("198.51.100.9"), ClientAddress.Resolve(IPAddress.Parse("10.0.0.5"), "198.51.100.9, ,", Proxies).Client);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), ClientAddress.Resolve(IPAddress.Parse("10.0.0.5"), "", Proxies).Client);
    }

    [Fact]
    public void Resolve_NoPeerAddress_IsUnknown() =>
        Assert.Null(ClientAddress.Resolve(null, "198.51.100.9", Proxies).Client);
}
