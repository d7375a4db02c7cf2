using System.Buffers.Binary;
using System.Text;

namespace ScoreGate.Router.Tls;

/// <summary>
/// Reads the ALPN protocols a TLS ClientHello offers, from the first bytes of a connection,
/// before the handshake: the certificate must be chosen knowing whether this is an ACME
/// TLS-ALPN-01 validation (RFC 8737 4), and .NET's handshake callback does not say.
/// </summary>
public static class ClientHelloAlpn
{
    /// <summary>A record carries at most 2^14 bytes (RFC 8446 5.1); a ClientHello in the first one is all this reads.</summary>
    public const int MaxRecordLength = 5 + (1 << 14);

    private const byte HandshakeRecord = 22;
    private const byte ClientHelloMessage = 1;
    private const ushort AlpnExtension = 16;

    /// <param name="data">The connection's first bytes.</param>
    /// <param name="protocols">The offered protocols, when the result is <see cref="ClientHelloStatus.Complete"/>.</param>
    public static ClientHelloStatus TryRead(ReadOnlySpan<byte> data, out IReadOnlyList<string> protocols)
    {
        protocols = [];
        // RFC 8446 5.1: ContentType, legacy_record_version, length.
        if (data.Length < 5)
        {
            return data.Length == 0 || data[0] == HandshakeRecord ? ClientHelloStatus.Incomplete : ClientHelloStatus.NotClientHello;
        }

        if (data[0] != HandshakeRecord)
        {
            return ClientHelloStatus.NotClientHello;
        }

        var recordLength = BinaryPrimitives.ReadUInt16BigEndian(data[3..]);
        if (data.Length < 5 + recordLength)
        {
            return ClientHelloStatus.Incomplete;
        }

        var record = data.Slice(5, recordLength);
        // RFC 8446 4: msg_type, 24-bit length; a ClientHello split over records is treated as having no ALPN.
        if (record.Length < 4 || record[0] != ClientHelloMessage)
        {
            return ClientHelloStatus.NotClientHello;
        }

        var helloLength = (record[1] << 16) | (record[2] << 8) | record[3];
        if (helloLength > record.Length - 4)
        {
            return ClientHelloStatus.NotClientHello;
        }

        var hello = record.Slice(4, helloLength);
        // legacy_version (2), random (32), then session id, cipher suites and compression methods (RFC 8446 4.1.2).
        if (!Skip(ref hello, 34) || !SkipVector(ref hello, 1) || !SkipVector(ref hello, 2) || !SkipVector(ref hello, 1))
        {
            return ClientHelloStatus.NotClientHello;
        }

        if (hello.Length == 0)
        {
            return ClientHelloStatus.Complete; // no extensions at all
        }

        if (!TryVector(ref hello, 2, out var extensions))
        {
            return ClientHelloStatus.NotClientHello;
        }

        while (extensions.Length > 0)
        {
            if (extensions.Length < 4)
            {
                return ClientHelloStatus.NotClientHello;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
            extensions = extensions[2..];
            if (!TryVector(ref extensions, 2, out var body))
            {
                return ClientHelloStatus.NotClientHello;
            }

            if (type == AlpnExtension)
            {
                return TryReadProtocols(body, out protocols) ? ClientHelloStatus.Complete : ClientHelloStatus.NotClientHello;
            }
        }

        return ClientHelloStatus.Complete;
    }

    /// <summary>RFC 7301 3.1: ProtocolNameList, each name 1..255 bytes.</summary>
    private static bool TryReadProtocols(ReadOnlySpan<byte> body, out IReadOnlyList<string> protocols)
    {
        protocols = [];
        if (!TryVector(ref body, 2, out var list) || body.Length != 0)
        {
            return false;
        }

        var names = new List<string>();
        while (list.Length > 0)
        {
            if (!TryVector(ref list, 1, out var name) || name.Length == 0)
            {
                return false;
            }

            names.Add(Encoding.ASCII.GetString(name));
        }

        protocols = names;
        return true;
    }

    private static bool Skip(ref ReadOnlySpan<byte> span, int count)
    {
        if (span.Length < count)
        {
            return false;
        }

        span = span[count..];
        return true;
    }

    private static bool SkipVector(ref ReadOnlySpan<byte> span, int lengthBytes) => TryVector(ref span, lengthBytes, out _);

    private static bool TryVector(ref ReadOnlySpan<byte> span, int lengthBytes, out ReadOnlySpan<byte> vector)
    {
        vector = default;
        if (span.Length < lengthBytes)
        {
            return false;
        }

        var length = lengthBytes == 1 ? span[0] : BinaryPrimitives.ReadUInt16BigEndian(span);
        if (span.Length - lengthBytes < length)
        {
            return false;
        }

        vector = span.Slice(lengthBytes, length);
        span = span[(lengthBytes + length)..];
        return true;
    }
}

/// <summary>What the first bytes of a connection are.</summary>
public enum ClientHelloStatus
{
    /// <summary>A ClientHello, read to the end; its ALPN list (possibly empty) is known.</summary>
    Complete,

    /// <summary>So far a ClientHello, but more bytes are needed.</summary>
    Incomplete,

    /// <summary>Not a ClientHello this reader understands; the handshake goes on as usual.</summary>
    NotClientHello,
}
