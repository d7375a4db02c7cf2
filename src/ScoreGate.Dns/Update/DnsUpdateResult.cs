using ScoreGate.Dns.Wire;

namespace ScoreGate.Dns.Update;

/// <summary>What the server said about an update. The server applies an update whole or not at all (RFC 2136 3.4.2.6).</summary>
public sealed record DnsUpdateResult(DnsResponseCode Code, string? Error)
{
    public static DnsUpdateResult Applied { get; } = new(DnsResponseCode.NoError, null);

    public bool Succeeded => Error is null;
}
