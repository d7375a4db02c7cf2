using System.Net.Sockets;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.Dns;
using ScoreGate.Dns.Update;
using ScoreGate.Dns.Wire;

namespace ScoreGate.ControlPlane.Managed;

/// <summary>
/// Publishes generated names as A/AAAA records of <c>publicIp</c> through <c>dnsServer</c>, in
/// one RFC 2136 update per name: the server applies it whole or not at all.
/// </summary>
public sealed class DnsNamePublisher(DnsClient client, ManagedSettings settings)
{
    /// <summary>Short enough that a moved router is found again within a minute.</summary>
    public const uint Ttl = 60;

    public DnsClient Client { get; } = client;

    public ManagedSettings Settings { get; } = settings;

    /// <returns>Null when published, else what the DNS server objected to.</returns>
    public async Task<string?> PublishAsync(string hostName, CancellationToken cancellationToken)
    {
        var changes = new List<DnsChange>();
        foreach (var (type, family) in new[] { (DnsType.A, AddressFamily.InterNetwork), (DnsType.Aaaa, AddressFamily.InterNetworkV6) })
        {
            // Stale records of the other family go too, so a changed publicIp never leaves a wrong address behind.
            changes.Add(DnsChange.DeleteSet(hostName, type));
            changes.AddRange(Settings.PublicIps.Where(ip => ip.AddressFamily == family).Select(ip => DnsChange.Add(DnsRecord.Address(hostName, ip, Ttl))));
        }

        var result = await Client.UpdateAsync(Settings.DnsZone!, changes, cancellationToken);
        return result.Error is null ? null : $"Publishing '{hostName}' to DNS server {Client.Transport.Server} failed: {result.Error}";
    }
}
