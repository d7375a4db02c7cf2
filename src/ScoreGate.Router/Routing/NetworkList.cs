using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ScoreGate.Router.Routing;

/// <summary>
/// A list of IP networks, as the <c>privateNetworks</c> and <c>trustedProxies</c> settings give
/// them: comma-separated CIDR prefixes (10.0.0.0/8, fc00::/7) or single addresses (a /32 or /128).
/// </summary>
public sealed class NetworkList : IEquatable<NetworkList>
{
    /// <summary>The default of <c>privateNetworks</c>: loopback, RFC 1918 and IPv6 unique local addresses.</summary>
    public const string PrivateDefault = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";

    private readonly IPNetwork[] _networks;

    private NetworkList(IPNetwork[] networks) => _networks = networks;

    public static NetworkList Empty { get; } = new([]);

    /// <summary>The default of <c>privateNetworks</c>.</summary>
    public static NetworkList Private { get; } = Parse(PrivateDefault, out _)!;

    public IReadOnlyList<IPNetwork> Networks => _networks;

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>Whether <paramref name="address"/> is in one of the networks; an IPv4-mapped IPv6 address counts as its IPv4 address.</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null || _networks.Length == 0)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => string.Join(",", _networks.Select(n => n.ToString()));

    /// <summary>Same networks in the same order: settings read twice compare equal.</summary>
    public bool Equals(NetworkList? other) => other is not null && _networks.AsSpan().SequenceEqual(other._networks);

    public override bool Equals(object? obj) => Equals(obj as NetworkList);

    public override int GetHashCode() => _networks.Length == 0 ? 0 : HashCode.Combine(_networks.Length, _networks[0]);

    /// <summary>
    /// Reads a comma-separated list. Every entry must be exact: a prefix with bits set after its
    /// length (10.0.0.1/8) is refused rather than widened or narrowed, since either guess could
    /// let in addresses the writer did not mean.
    /// </summary>
    /// <param name="text">The setting's value; empty or blank means no networks.</param>
    /// <param name="problem">What is wrong with the first bad entry and how to write it, or null.</param>
    /// <returns>The list, or null when an entry is bad.</returns>
    public static NetworkList? Parse(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Empty;
        }

        var networks = new List<IPNetwork>();
        foreach (var raw in text.Split(','))
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                problem = "has an empty entry (two commas in a row, or one at an end). Remove the extra comma";
                return null;
            }

            if (ParseEntry(entry, out problem) is not { } network)
            {
                return null;
            }

            networks.Add(network);
        }

        return new NetworkList([.. networks]);
    }

    private static IPNetwork? ParseEntry(string entry, out string? problem)
    {
        problem = null;
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? entry : entry[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal) ||
            address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6) ||
            (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3))
        {
            problem = $"has '{entry}', which is not an IP address or CIDR prefix. Write entries like 10.0.0.0/8, 192.168.1.20 or fd00::/8";
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            problem = $"has '{entry}', an IPv4 address written as IPv6. Write it as IPv4 ({address.MapToIPv4()}): clients' IPv4-mapped addresses are compared as IPv4";
            return null;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = bits;
        if (slash >= 0)
        {
            var lengthText = entry[(slash + 1)..];
            if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bits)
            {
                problem = $"has '{entry}', whose prefix length '{lengthText}' is not a whole number from 0 to {bits}. Write it like {(bits == 32 ? "10.0.0.0/8" : "fd00::/8")}";
                return null;
            }
        }

        var network = new IPNetwork(Masked(address, length), length);
        if (!network.BaseAddress.Equals(address))
        {
            problem = $"has '{entry}', which has bits set after its first {length}. Write the network, {network}, or the single address, {address}/{bits}";
            return null;
        }

        return network;
    }

    private static IPAddress Masked(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(length - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
