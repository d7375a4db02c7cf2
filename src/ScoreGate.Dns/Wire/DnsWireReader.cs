using System.Buffers.Binary;
using System.Text;

namespace ScoreGate.Dns.Wire;

/// <summary>
/// Reads RFC 1035 wire format from a whole message. Every <c>TryRead</c> returns false on
/// truncated or malformed input and never throws: these bytes come from the network.
/// </summary>
public ref struct DnsWireReader(ReadOnlySpan<byte> message)
{
    // A pointer chain longer than this is a loop (or an attack); real messages use a handful.
    private const int MaxPointers = 32;

    private readonly ReadOnlySpan<byte> _message = message;

    public int Position { get; private set; }

    public readonly int Remaining => _message.Length - Position;

    public bool TryReadUInt16(out ushort value)
    {
        if (!BinaryPrimitives.TryReadUInt16BigEndian(_message[Position..], out value))
        {
            return false;
        }

        Position += 2;
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (!BinaryPrimitives.TryReadUInt32BigEndian(_message[Position..], out value))
        {
            return false;
        }

        Position += 4;
        return true;
    }

    public bool TryReadUInt48(out ulong value)
    {
        value = 0;
        if (Remaining < 6)
        {
            return false;
        }

        value = ((ulong)BinaryPrimitives.ReadUInt16BigEndian(_message[Position..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(_message[(Position + 2)..]);
        Position += 6;
        return true;
    }

    public bool TryReadBytes(int length, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (length < 0 || length > Remaining)
        {
            return false;
        }

        bytes = _message.Slice(Position, length);
        Position += length;
        return true;
    }

    /// <summary>A name, following compression pointers (RFC 1035 4.1.4) backwards only.</summary>
    public bool TryReadName(out string name)
    {
        name = string.Empty;
        var builder = new StringBuilder();
        var offset = Position;
        var end = -1;
        var pointers = 0;
        var wireLength = 1;
        while (true)
        {
            if (offset >= _message.Length)
            {
                return false;
            }

            var length = _message[offset];
            if ((length & 0xC0) == 0xC0)
            {
                if (offset + 1 >= _message.Length || ++pointers > MaxPointers)
                {
                    return false;
                }

                var target = ((length & 0x3F) << 8) | _message[offset + 1];
                if (end < 0)
                {
                    end = offset + 2;
                }

                if (target >= offset)
                {
                    return false; // pointers must point back, or they can loop
                }

                offset = target;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                return false; // 0x40 and 0x80 label types are reserved (RFC 6891 dropped extended labels)
            }

            if (length == 0)
            {
                Position = end < 0 ? offset + 1 : end;
                name = builder.ToString();
                return true;
            }

            wireLength += length + 1;
            if (offset + 1 + length > _message.Length || wireLength > DnsName.MaxLength)
            {
                return false;
            }

            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(Encoding.ASCII.GetString(_message.Slice(offset + 1, length)));
            offset += length + 1;
        }
    }

    public bool TryReadQuestion(out DnsQuestion question)
    {
        question = null!;
        if (!TryReadName(out var name) || !TryReadUInt16(out var type) || !TryReadUInt16(out var @class))
        {
            return false;
        }

        question = new DnsQuestion(name, (DnsType)type, (DnsClass)@class);
        return true;
    }

    public bool TryReadRecord(out DnsRecord record)
    {
        record = null!;
        if (!TryReadName(out var name)
            || !TryReadUInt16(out var type)
            || !TryReadUInt16(out var @class)
            || !TryReadUInt32(out var ttl)
            || !TryReadUInt16(out var length)
            || !TryReadBytes(length, out var data))
        {
            return false;
        }

        record = new DnsRecord(name, (DnsType)type, (DnsClass)@class, ttl, data.ToArray());
        return true;
    }
}
