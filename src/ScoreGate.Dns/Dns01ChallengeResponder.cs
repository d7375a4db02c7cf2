using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ScoreGate.Certificates.Acme;
using ScoreGate.Dns.Update;
using ScoreGate.Dns.Wire;

namespace ScoreGate.Dns;

/// <summary>
/// DNS-01 (RFC 8555 8.4): a TXT record at <c>_acme-challenge.&lt;name&gt;</c> holding the
/// base64url SHA-256 of the key authorization, added with an RFC 2136 update and deleted
/// afterwards. Records are added and deleted one by one, never replaced as a set, because a
/// name and its wildcard validate at the same TXT name with different values.
/// </summary>
public sealed class Dns01ChallengeResponder(DnsClient client, string zone) : IAcmeChallengeResponder
{
    // Short, so a validator's negative cache or a leftover record does not linger.
    private const uint Ttl = 30;

    public AcmeChallengeKind Kind => AcmeChallengeKind.Dns01;

    public static string RecordName(string domain) => $"_acme-challenge.{DnsName.Trim(domain)}";

    public static string RecordValue(string keyAuthorization) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization)));

    public async Task<string?> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        var record = DnsRecord.Text(RecordName(domain), RecordValue(keyAuthorization), Ttl);
        return (await client.UpdateAsync(zone, [DnsChange.Add(record)], cancellationToken)).Error;
    }

    public async Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        var record = DnsRecord.Text(RecordName(domain), RecordValue(keyAuthorization), Ttl);
        // Best effort: a leftover TXT record is harmless, and the next issuance adds its own.
        _ = await client.UpdateAsync(zone, [DnsChange.Delete(record)], cancellationToken);
    }
}
