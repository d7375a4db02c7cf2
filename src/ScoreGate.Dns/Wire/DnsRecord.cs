using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ScoreGate.Dns.Wire;

/// <summary>A question (RFC 1035 4.1.2), or the zone of an UPDATE (RFC 2136 2.3).</summary>
public sealed record DnsQuestion(string Name, DnsType Type, DnsClass Class);

/// <summary>A resource record (RFC 1035 4.1.3) with its RDATA kept as bytes.</summary>
public sealed record DnsRecord(string Name, DnsType Type, DnsClass Class, uint Ttl, ReadOnlyMemory<byte> Data)
{
    public static DnsRecord Address(string name, IPAddress address, uint ttl)
    {
        ArgumentNullException.ThrowIfNull(address);
        var type = address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsType.Aaaa : DnsType.A;
        return new DnsRecord(name, type, DnsClass.In, ttl, address.GetAddressBytes());
    }

    /// <summary>A TXT record: the text split into character-strings of at most 255 bytes (RFC 1035 3.3.14).</summary>
    public static DnsRecord Text(string name, string text, uint ttl)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.ASCII.GetBytes(text);
        var data = new List<byte>(bytes.Length + (bytes.Length / 255) + 1);
        for (var start = 0; start == 0 || start < bytes.Length; start += 255)
        {
            var length = Math.Min(255, bytes.Length - start);
            data.Add((byte)length);
            data.AddRange(bytes.AsSpan(start, length));
        }

        return new DnsRecord(name, DnsType.Txt, DnsClass.In, ttl, data.ToArray());
    }

    /// <summary>The address of an A or AAAA record, or null for any other type or a malformed one.</summary>
    public IPAddress? AsAddress() =>
        (Type == DnsType.A && Data.Length == 4) || (Type == DnsType.Aaaa && Data.Length == 16) ? new IPAddress(Data.Span) : null;

    /// <summary>The joined character-strings of a TXT record, or null when it is not one.</summary>
    public string? AsText()
    {
        if (Type != DnsType.Txt)
        {
            return null;
        }

        var text = new StringBuilder();
        var span = Data.Span;
        while (span.Length > 0)
        {
            var length = span[0];
            if (length + 1 > span.Length)
            {
                return null;
            }

            text.Append(Encoding.ASCII.GetString(span.Slice(1, length)));
            span = span[(length + 1)..];
        }

        return text.ToString();
    }

    /// <summary>The value as a person reads it, for messages and <c>dns show</c>.</summary>
    public string Value => AsAddress()?.ToString() ?? AsText() ?? Convert.ToHexString(Data.Span);
}
