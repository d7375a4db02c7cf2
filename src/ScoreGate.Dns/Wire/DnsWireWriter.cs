using System.Buffers.Binary;
using System.Text;

namespace ScoreGate.Dns.Wire;

/// <summary>
/// Writes RFC 1035 wire format into a span. Each <c>TryWrite</c> returns false, writing
/// nothing that counts, when the span is too short or the value cannot be encoded.
/// Names are never compressed: messages stay small, and TSIG needs names uncompressed anyway.
/// </summary>
public ref struct DnsWireWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;

    public int Written { get; private set; }

    public bool TryWriteUInt16(ushort value)
    {
        if (!BinaryPrimitives.TryWriteUInt16BigEndian(_destination[Written..], value))
        {
            return false;
        }

        Written += 2;
        return true;
    }

    public bool TryWriteUInt32(uint value)
    {
        if (!BinaryPrimitives.TryWriteUInt32BigEndian(_destination[Written..], value))
        {
            return false;
        }

        Written += 4;
        return true;
    }

    /// <summary>A 48-bit unsigned integer, as TSIG's time signed (RFC 8945 4.2).</summary>
    public bool TryWriteUInt48(ulong value)
    {
        if (value > 0xFFFF_FFFF_FFFF || _destination.Length - Written < 6)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_destination[Written..], (ushort)(value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(_destination[(Written + 2)..], (uint)value);
        Written += 6;
        return true;
    }

    public bool TryWriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.TryCopyTo(_destination[Written..]))
        {
            return false;
        }

        Written += bytes.Length;
        return true;
    }

    /// <summary>A name as length-prefixed labels ending with the root (RFC 1035 3.1).</summary>
    public bool TryWriteName(string name)
    {
        if (DnsName.Problem(name) is not null || _destination.Length - Written < DnsName.WireLength(name))
        {
            return false;
        }

        var trimmed = DnsName.Trim(name);
        if (trimmed.Length > 0)
        {
            foreach (var label in trimmed.Split('.'))
            {
                _destination[Written++] = (byte)label.Length;
                Written += Encoding.ASCII.GetBytes(label, _destination[Written..]);
            }
        }

        _destination[Written++] = 0;
        return true;
    }

    /// <summary>RFC 1035 4.1.2.</summary>
    public bool TryWriteQuestion(DnsQuestion question) =>
        TryWriteName(question.Name) && TryWriteUInt16((ushort)question.Type) && TryWriteUInt16((ushort)question.Class);

    /// <summary>RFC 1035 4.1.3.</summary>
    public bool TryWriteRecord(DnsRecord record) =>
        record.Data.Length <= ushort.MaxValue
        && TryWriteName(record.Name)
        && TryWriteUInt16((ushort)record.Type)
        && TryWriteUInt16((ushort)record.Class)
        && TryWriteUInt32(record.Ttl)
        && TryWriteUInt16((ushort)record.Data.Length)
        && TryWriteBytes(record.Data.Span);
}
