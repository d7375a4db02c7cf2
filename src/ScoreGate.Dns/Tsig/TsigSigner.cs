using System.Buffers.Binary;
using System.Security.Cryptography;
using ScoreGate.Dns.Wire;

namespace ScoreGate.Dns.Tsig;

/// <summary>Signs requests and verifies responses with TSIG (RFC 8945 4.3 and 5.3).</summary>
public static class TsigSigner
{
    /// <summary>Seconds of clock difference either side accepts; 300 is what RFC 8945 10 recommends.</summary>
    public const ushort Fudge = 300;

    /// <summary>Appends a TSIG record to <paramref name="message"/>.</summary>
    /// <returns>The signed message on the wire and its MAC (the response's MAC covers it).</returns>
    public static SignedMessage Sign(DnsMessage message, TsigKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(key);
        var unsigned = message.ToArray();
        var time = (ulong)now.ToUnixTimeSeconds();
        var mac = key.ComputeMac([.. unsigned, .. Variables(key.Name, key.AlgorithmName, time, Fudge, DnsResponseCode.NoError, default)]);
        var rdata = new TsigRecordData(key.AlgorithmName, time, Fudge, mac, message.Id, DnsResponseCode.NoError, ReadOnlyMemory<byte>.Empty);
        var buffer = new byte[512];
        var writer = new DnsWireWriter(buffer);
        rdata.TryWrite(ref writer);
        var tsig = new DnsRecord(key.Name, DnsType.Tsig, DnsClass.Any, 0, buffer.AsMemory(0, writer.Written));
        return new SignedMessage((message with { Additionals = [.. message.Additionals, tsig] }).ToArray(), mac);
    }

    /// <summary>Checks a response's TSIG record against the key and the request's MAC (RFC 8945 5.3).</summary>
    public static TsigVerification Verify(ReadOnlySpan<byte> response, DnsMessage parsed, ReadOnlySpan<byte> requestMac, TsigKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(key);
        if (parsed.TsigOffset < 0)
        {
            return TsigVerification.NotSigned;
        }

        var record = parsed.Additionals[^1];
        if (!TsigRecordData.TryRead(record.Data.Span, out var data))
        {
            return TsigVerification.Malformed;
        }

        if (data.Error != DnsResponseCode.NoError)
        {
            // The server rejected our signature; its answer carries no MAC to check (RFC 8945 5.3.2).
            return new TsigVerification(TsigVerificationStatus.RejectedByServer, data.Error);
        }

        // The response as it was before signing: TSIG removed from the count, the original id restored.
        var prefix = response[..parsed.TsigOffset].ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(prefix, data.OriginalId);
        BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(10), (ushort)(parsed.Additionals.Count - 1));
        var lengthPrefix = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(lengthPrefix, (ushort)requestMac.Length);
        var expected = key.ComputeMac([.. lengthPrefix, .. requestMac, .. prefix, .. Variables(record.Name, data.Algorithm, data.TimeSigned, data.Fudge, data.Error, data.OtherData.Span)]);
        if (!CryptographicOperations.FixedTimeEquals(expected, data.Mac.Span))
        {
            return new TsigVerification(TsigVerificationStatus.BadSignature, DnsResponseCode.BadSig);
        }

        var skew = Math.Abs(now.ToUnixTimeSeconds() - (long)data.TimeSigned);
        return skew > data.Fudge ? new TsigVerification(TsigVerificationStatus.BadTime, DnsResponseCode.BadTime) : TsigVerification.Verified;
    }

    /// <summary>The "TSIG variables" that follow the message in the MAC input (RFC 8945 4.3.3).</summary>
    private static byte[] Variables(string keyName, string algorithm, ulong timeSigned, ushort fudge, DnsResponseCode error, ReadOnlySpan<byte> other)
    {
        var buffer = new byte[600 + other.Length];
        var writer = new DnsWireWriter(buffer);
        var ok = writer.TryWriteName(DnsName.Canonical(keyName))
            && writer.TryWriteUInt16((ushort)DnsClass.Any)
            && writer.TryWriteUInt32(0)
            && writer.TryWriteName(DnsName.Canonical(algorithm))
            && writer.TryWriteUInt48(timeSigned)
            && writer.TryWriteUInt16(fudge)
            && writer.TryWriteUInt16((ushort)error)
            && writer.TryWriteUInt16((ushort)other.Length)
            && writer.TryWriteBytes(other);
        return ok ? buffer[..writer.Written] : throw new InvalidOperationException("TSIG variables could not be encoded.");
    }
}

/// <summary>A signed request and the MAC its response is chained to.</summary>
public sealed record SignedMessage(byte[] Bytes, byte[] Mac);

/// <summary>The outcome of checking a response's TSIG record.</summary>
public sealed record TsigVerification(TsigVerificationStatus Status, DnsResponseCode Error)
{
    public static TsigVerification Verified { get; } = new(TsigVerificationStatus.Verified, DnsResponseCode.NoError);

    public static TsigVerification NotSigned { get; } = new(TsigVerificationStatus.NotSigned, DnsResponseCode.NoError);

    public static TsigVerification Malformed { get; } = new(TsigVerificationStatus.Malformed, DnsResponseCode.FormErr);
}

/// <summary>What checking a response's TSIG record found.</summary>
public enum TsigVerificationStatus
{
    /// <summary>The response is signed with our key and fresh.</summary>
    Verified,

    /// <summary>The response has no TSIG record.</summary>
    NotSigned,

    /// <summary>The TSIG record could not be parsed.</summary>
    Malformed,

    /// <summary>The server reported a TSIG error (BADSIG, BADKEY, BADTIME...) about our request.</summary>
    RejectedByServer,

    /// <summary>The response's MAC does not verify: it was not signed with our key, or was altered.</summary>
    BadSignature,

    /// <summary>The response was signed outside the fudge window.</summary>
    BadTime,
}
