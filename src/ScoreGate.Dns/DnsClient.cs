using System.Security.Cryptography;
using ScoreGate.Dns.Tsig;
using ScoreGate.Dns.Update;
using ScoreGate.Dns.Wire;

namespace ScoreGate.Dns;

/// <summary>
/// Talks to one authoritative server: RFC 2136 updates signed with TSIG, and plain queries
/// (to check what the server now answers). Failures are results with a message that says
/// what the server objected to and which setting to fix.
/// </summary>
public sealed class DnsClient(DnsTransport transport, TsigKey? key, TimeProvider time)
{
    public DnsTransport Transport { get; } = transport;

    /// <summary>Sends every change in one UPDATE message, so they are applied together or not at all.</summary>
    public async Task<DnsUpdateResult> UpdateAsync(string zone, IReadOnlyList<DnsChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes)
        {
            if (DnsName.Problem(change.Record.Name) is { } badName)
            {
                return new DnsUpdateResult(DnsResponseCode.FormErr, $"Cannot update {badName}");
            }

            if (!DnsName.IsInZone(change.Record.Name, zone))
            {
                return new DnsUpdateResult(DnsResponseCode.NotZone, $"'{change.Record.Name}' is not in zone '{zone}': check dnsZone.");
            }
        }

        var request = new DnsMessage
        {
            Id = NewId(),
            Flags = DnsMessage.FlagsFor(DnsOpcode.Update),
            Questions = [new DnsQuestion(zone, DnsType.Soa, DnsClass.In)],
            Authorities = [.. changes.Select(c => c.Record)],
        };

        DnsMessage response;
        byte[] bytes;
        SignedMessage? signed = key is null ? null : TsigSigner.Sign(request, key, time.GetUtcNow());
        try
        {
            bytes = await Transport.ExchangeAsync(signed?.Bytes ?? request.ToArray(), cancellationToken);
        }
        catch (DnsTransportException error)
        {
            return new DnsUpdateResult(DnsResponseCode.ServFail, error.Message);
        }

        if (!DnsMessage.TryRead(bytes, out response) || !response.IsResponse)
        {
            return new DnsUpdateResult(DnsResponseCode.FormErr, $"DNS server {Transport.Server} sent an answer that is not a DNS response.");
        }

        var tsig = key is null ? TsigVerification.NotSigned : TsigSigner.Verify(bytes, response, signed!.Mac, key, time.GetUtcNow());
        if (DnsErrors.ForUpdate(zone, response.ResponseCode, tsig, key) is { } error2)
        {
            return new DnsUpdateResult(tsig.Error != DnsResponseCode.NoError ? tsig.Error : response.ResponseCode, error2);
        }

        return DnsUpdateResult.Applied;
    }

    /// <summary>Asks the server for the records of one name and type (no recursion: it should be authoritative).</summary>
    public async Task<DnsQueryResult> QueryAsync(string name, DnsType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (DnsName.Problem(name) is { } badName)
        {
            return new DnsQueryResult(DnsResponseCode.FormErr, [], $"Cannot look up {badName}");
        }

        var request = new DnsMessage { Id = NewId(), Flags = DnsMessage.FlagsFor(DnsOpcode.Query), Questions = [new DnsQuestion(name, type, DnsClass.In)] };
        byte[] bytes;
        try
        {
            bytes = await Transport.ExchangeAsync(request.ToArray(), cancellationToken);
        }
        catch (DnsTransportException error)
        {
            return new DnsQueryResult(DnsResponseCode.ServFail, [], error.Message);
        }

        if (!DnsMessage.TryRead(bytes, out var response) || !response.IsResponse)
        {
            return new DnsQueryResult(DnsResponseCode.FormErr, [], $"DNS server {Transport.Server} sent an answer that is not a DNS response.");
        }

        var records = response.Answers.Where(r => r.Type == type && DnsName.Canonical(r.Name) == DnsName.Canonical(name)).ToList();
        return response.ResponseCode is DnsResponseCode.NoError or DnsResponseCode.NXDomain
            ? new DnsQueryResult(response.ResponseCode, records, null)
            : new DnsQueryResult(response.ResponseCode, [], $"DNS server {Transport.Server} answered {response.ResponseCode.ToString().ToUpperInvariant()} for '{name}' {type.ToString().ToUpperInvariant()}.");
    }

    // Unpredictable ids make off-path spoofing of answers harder (RFC 5452 4.3).
    private static ushort NewId() => (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
}

/// <summary>The records a server holds for one name and type, or why it could not say.</summary>
public sealed record DnsQueryResult(DnsResponseCode Code, IReadOnlyList<DnsRecord> Records, string? Error);
