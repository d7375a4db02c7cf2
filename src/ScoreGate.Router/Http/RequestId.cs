namespace ScoreGate.Router.Http;

/// <summary>
/// The id given to a request that arrives without one: a version-4 UUID, as Azure ML's are.
/// It comes from <see cref="Random.Shared"/> rather than <see cref="Guid.NewGuid"/>, which reads
/// the kernel's random source with a system call per request (seen in the profile of
/// docs/performance.md). A request id correlates logs; it must be unique, not unguessable.
/// </summary>
internal static class RequestId
{
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        // RFC 9562 §5.4: version 4 in the high nibble of octet 6, variant 10xx in octet 8.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
