using System.Net;
using System.Net.Sockets;
using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Dns;
using ScoreGate.Dns.Wire;

namespace ScoreGate.ControlPlane.Managed;

/// <summary>
/// <c>dns show | verify [--endpoint E]</c>: the records a generated name should have, and
/// whether the DNS server (and this machine's resolver) answer them.
/// </summary>
public sealed class DnsService(IScoreGateStore store, RouterSettings settings, DnsNamePublisher? publisher)
{
    private static readonly TimeSpan ResolverTimeout = TimeSpan.FromSeconds(5);

    public async Task<OperationResult<DnsView>> ShowAsync(string? endpointName, CancellationToken cancellationToken)
    {
        var record = await RecordAsync(endpointName, cancellationToken);
        if (record.Error is { } error)
        {
            return error;
        }

        var hostName = record.Value!.HostName;
        var publishedBy = publisher is null
            ? $"Not published by ScoreGate ({RouterSettingNames.DnsServer} is not set): create these records in zone {settings.Managed.DnsZone} yourself."
            : $"RFC 2136 updates to {publisher.Client.Transport.Server} (zone {settings.Managed.DnsZone}, {settings.Managed.DnsTsigKey?.ToString() ?? "no TSIG key"}).";
        var records = settings.Managed.PublicIps.Select(ip => new DnsRecordView(ip.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A", ip.ToString(), DnsNamePublisher.Ttl)).ToList();
        return new DnsView(hostName, records, publishedBy);
    }

    public async Task<OperationResult<DnsVerification>> VerifyAsync(string? endpointName, CancellationToken cancellationToken)
    {
        var record = await RecordAsync(endpointName, cancellationToken);
        if (record.Error is { } error)
        {
            return error;
        }

        var hostName = record.Value!.HostName;
        var expected = settings.Managed.PublicIps.Select(ip => ip.ToString()).Order(StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        if (expected.Count == 0)
        {
            problems.Add($"{RouterSettingNames.PublicIp} is not set, so there is no address to compare with. Set it to the address clients reach the router at.");
        }

        AuthoritativeAnswer? authoritative = null;
        if (publisher is not null)
        {
            authoritative = await QueryServerAsync(publisher.Client, hostName, cancellationToken);
            if (authoritative.Error is not null)
            {
                problems.Add(authoritative.Error);
            }
            else if (expected.Count > 0 && !authoritative.Addresses.SequenceEqual(expected))
            {
                problems.Add($"DNS server {authoritative.Server} answers [{string.Join(", ", authoritative.Addresses)}] for {hostName}, not {RouterSettingNames.PublicIp} [{string.Join(", ", expected)}]. 'tls renew{EndpointOption(endpointName)}' publishes the name again.");
            }
        }

        var resolver = await ResolveAsync(hostName, cancellationToken);
        if (publisher is null && expected.Count > 0 && !resolver.Addresses.SequenceEqual(expected))
        {
            problems.Add(resolver.Error ?? $"This machine resolves {hostName} to [{string.Join(", ", resolver.Addresses)}], not {RouterSettingNames.PublicIp} [{string.Join(", ", expected)}].");
        }

        var verification = new DnsVerification(hostName, expected, authoritative, resolver, problems.Count == 0, problems);
        return problems.Count == 0
            ? verification
            : new OperationError(OperationErrorKind.Conflict, $"{hostName} does not resolve as it should: {string.Join(" ", problems)}");
    }

    private static async Task<AuthoritativeAnswer> QueryServerAsync(DnsClient client, string hostName, CancellationToken cancellationToken)
    {
        var addresses = new List<string>();
        uint? ttl = null;
        foreach (var type in new[] { DnsType.A, DnsType.Aaaa })
        {
            var answer = await client.QueryAsync(hostName, type, cancellationToken);
            if (answer.Error is not null)
            {
                return new AuthoritativeAnswer(client.Transport.Server.ToString(), [], null, answer.Error);
            }

            addresses.AddRange(answer.Records.Select(r => r.Value));
            ttl = answer.Records.Count > 0 ? Math.Min(ttl ?? uint.MaxValue, answer.Records.Min(r => r.Ttl)) : ttl;
        }

        var server = client.Transport.Server.ToString();
        return addresses.Count == 0
            ? new AuthoritativeAnswer(server, [], null, $"DNS server {server} has no A or AAAA record for {hostName}. 'tls renew' publishes it again; check dnsServer and dnsZone if it keeps failing.")
            : new AuthoritativeAnswer(server, [.. addresses.Order(StringComparer.Ordinal)], ttl, null);
    }

    /// <summary>What this machine's resolver says: informative, since caches and delegation lag behind the server.</summary>
    private static async Task<ResolverAnswer> ResolveAsync(string hostName, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolverTimeout);
        try
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(hostName, timeout.Token);
            return new ResolverAnswer([.. addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal)], null);
        }
        catch (SocketException error)
        {
            return new ResolverAnswer([], $"This machine's resolver cannot resolve {hostName} ({error.SocketErrorCode}): the zone may not be delegated to the DNS server yet, or a negative answer is cached.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ResolverAnswer([], $"This machine's resolver did not answer for {hostName} within {ResolverTimeout.TotalSeconds:0} s.");
        }
    }

    private async Task<OperationResult<ManagedCertificateRecord>> RecordAsync(string? endpointName, CancellationToken cancellationToken)
    {
        var scope = endpointName ?? TlsBindingRecord.RouterScope;
        if (endpointName is not null && await store.FindEndpointAsync(endpointName, cancellationToken) is null)
        {
            return new OperationError(OperationErrorKind.NotFound, $"Endpoint '{endpointName}' does not exist. See 'scoregate endpoint list' for the endpoints there are.");
        }

        var binding = await store.FindTlsBindingAsync(scope, cancellationToken);
        var routerManaged = endpointName is null && binding is null && settings.Managed.LeafDomainLabel is not null;
        if ((binding is { Kind: TlsSourceKind.Managed } || routerManaged) && await store.FindManagedCertificateAsync(scope, cancellationToken) is { } record)
        {
            return record;
        }

        return new OperationError(OperationErrorKind.NotFound, endpointName is null
            ? $"The router has no generated name: it gets one from {RouterSettingNames.SslLeafDomainLabel} (with {RouterSettingNames.DnsZone})."
            : $"Endpoint '{endpointName}' has no generated name: give it one with 'tls enable --endpoint {endpointName} --leaf-domain-label L'.");
    }

    private static string EndpointOption(string? endpointName) => endpointName is null ? string.Empty : $" --endpoint {endpointName}";
}

/// <summary>What <c>dns show</c> prints.</summary>
public sealed record DnsView(string HostName, IReadOnlyList<DnsRecordView> Records, string PublishedBy);

/// <summary>One record a generated name should have.</summary>
public sealed record DnsRecordView(string Type, string Value, uint Ttl);

/// <summary>What <c>dns verify</c> found.</summary>
public sealed record DnsVerification(string HostName, IReadOnlyList<string> Expected, AuthoritativeAnswer? Authoritative, ResolverAnswer Resolver, bool Ok, IReadOnlyList<string> Problems);

/// <summary>The DNS server's own answer, with the smallest TTL.</summary>
public sealed record AuthoritativeAnswer(string Server, IReadOnlyList<string> Addresses, uint? Ttl, string? Error);

/// <summary>This machine's resolver's answer.</summary>
public sealed record ResolverAnswer(IReadOnlyList<string> Addresses, string? Error);
