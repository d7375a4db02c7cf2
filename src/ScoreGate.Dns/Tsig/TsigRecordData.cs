using ScoreGate.Dns.Wire;

namespace ScoreGate.Dns.Tsig;

/// <summary>The RDATA of a TSIG record (RFC 8945 4.2).</summary>
public sealed record TsigRecordData(
    string Algorithm,
    ulong TimeSigned,
    ushort Fudge,
    ReadOnlyMemory<byte> Mac,
    ushort OriginalId,
    DnsResponseCode Error,
    ReadOnlyMemory<byte> OtherData)
{
    public bool TryWrite(ref DnsWireWriter writer) =>
        writer.TryWriteName(Algorithm)
        && writer.TryWriteUInt48(TimeSigned)
        && writer.TryWriteUInt16(Fudge)
        && writer.TryWriteUInt16((ushort)Mac.Length)
        && writer.TryWriteBytes(Mac.Span)
        && writer.TryWriteUInt16(OriginalId)
        && writer.TryWriteUInt16((ushort)Error)
        && writer.TryWriteUInt16((ushort)OtherData.Length)
        && writer.TryWriteBytes(OtherData.Span);

    public static bool TryRead(ReadOnlySpan<byte> rdata, out TsigRecordData data)
    {
        data = null!;
        var reader = new DnsWireReader(rdata);
        if (!reader.TryReadName(out var algorithm)
            || !reader.TryReadUInt48(out var timeSigned)
            || !reader.TryReadUInt16(out var fudge)
            || !reader.TryReadUInt16(out var macSize)
            || !reader.TryReadBytes(macSize, out var mac)
            || !reader.TryReadUInt16(out var originalId)
            || !reader.TryReadUInt16(out var error)
            || !reader.TryReadUInt16(out var otherLength)
            || !reader.TryReadBytes(otherLength, out var other)
            || reader.Remaining != 0)
        {
            return false;
        }

        data = new TsigRecordData(algorithm, timeSigned, fudge, mac.ToArray(), originalId, (DnsResponseCode)error, other.ToArray());
        return true;
    }
}
