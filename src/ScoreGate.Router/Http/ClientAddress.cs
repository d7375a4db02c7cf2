using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Http;

/// <summary>
/// Who sent a request: the connection's peer, unless the peer is one of <c>trustedProxies</c>. Then
/// X-Forwarded-For is read from the right, skipping addresses that are trusted proxies themselves,
/// and the first untrusted address is the client (nginx's <c>real_ip_recursive on</c>). A peer
/// that is not trusted cannot move its address with the header: whatever it sends is ignored.
/// </summary>
public static class ClientAddress
{
    public const string ForwardedForHeader = "X-Forwarded-For";

    /// <summary>The request's client, from its connection and headers.</summary>
    public static ClientAddressResult Resolve(HttpContext context, NetworkList trustedProxies)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Resolve(context.Connection.RemoteIpAddress, context.Request.Headers[ForwardedForHeader], trustedProxies);
    }

    /// <param name="peer">The connection's remote address; null for a connection without one (in-memory tests).</param>
    /// <param name="forwardedFor">Every X-Forwarded-For field, in order: they read as one comma-separated list.</param>
    /// <param name="trustedProxies">Peers whose X-Forwarded-For is believed.</param>
    public static ClientAddressResult Resolve(IPAddress? peer, StringValues forwardedFor, NetworkList trustedProxies)
    {
        ArgumentNullException.ThrowIfNull(trustedProxies);
        peer = Normalize(peer);
        if (peer is null || !trustedProxies.Contains(peer) || forwardedFor.Count == 0)
        {
            return new ClientAddressResult(peer, peer, null);
        }

        IPAddress? client = peer;
        for (var field = forwardedFor.Count - 1; field >= 0; field--)
        {
            var entries = (forwardedFor[field] ?? string.Empty).Split(',');
            for (var i = entries.Length - 1; i >= 0; i--)
            {
                var entry = entries[i].Trim();
                if (entry.Length == 0)
                {
                    // An empty list element (RFC 9110 §5.6.1 lets senders leave them) says nothing;
                    // a header of nothing but those is as if there were none.
                    continue;
                }

                if (ParseEntry(entry) is not { } address)
                {
                    // Unknown, not the proxy: a proxy that wrote something unreadable has not told
                    // who its client is, and guessing the proxy would let every client of a private
                    // proxy in. Callers refuse private-only endpoints for it.
                    return new ClientAddressResult(null, peer, entry);
                }

                client = address;
                if (!trustedProxies.Contains(address))
                {
                    return new ClientAddressResult(address, peer, null);
                }
            }
        }

        // Every hop is a trusted proxy: the leftmost is where the request started.
        return new ClientAddressResult(client, peer, null);
    }

    /// <summary>An IPv4-mapped IPv6 address (::ffff:10.0.0.1, as a dual-stack listener reports IPv4 peers) as its IPv4 address.</summary>
    public static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    /// <summary>One X-Forwarded-For entry: an address, optionally with a port (1.2.3.4:5678, [2001:db8::1]:443, as some load balancers write it).</summary>
    internal static IPAddress? ParseEntry(string entry)
    {
        var text = entry.AsSpan();
        if (text.StartsWith("["))
        {
            var close = text.IndexOf(']');
            if (close < 0 || (close + 1 < text.Length && !IsPort(text[(close + 1)..])))
            {
                return null;
            }

            text = text[1..close];
        }
        else if (text.Count(':') == 1)
        {
            var colon = text.IndexOf(':');
            if (!IsPort(text[colon..]))
            {
                return null;
            }

            text = text[..colon];
        }

        if (text.Contains('%') || !IPAddress.TryParse(text, out var address))
        {
            return null;
        }

        // IPAddress.TryParse takes "10.1" as 10.0.0.1; a proxy writes all four parts.
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count('.') != 3)
        {
            return null;
        }

        return Normalize(address);
    }

    private static bool IsPort(ReadOnlySpan<char> colonAndPort) =>
        colonAndPort.Length > 1 && colonAndPort[0] == ':' &&
        ushort.TryParse(colonAndPort[1..], NumberStyles.None, CultureInfo.InvariantCulture, out _);
}

/// <param name="Client">The client's address; null when it cannot be told (no peer address, or an unreadable X-Forwarded-For from a trusted proxy).</param>
/// <param name="Peer">The connection's remote address, IPv4-mapped addresses as IPv4.</param>
/// <param name="Unreadable">The X-Forwarded-For entry that could not be read, or null.</param>
public readonly record struct ClientAddressResult(IPAddress? Client, IPAddress? Peer, string? Unreadable);
