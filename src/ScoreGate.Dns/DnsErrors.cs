using ScoreGate.Dns.Tsig;
using ScoreGate.Dns.Wire;

namespace ScoreGate.Dns;

/// <summary>Turns response codes and TSIG errors into sentences that say what to fix.</summary>
internal static class DnsErrors
{
    public static string? ForUpdate(string zone, DnsResponseCode code, TsigVerification tsig, TsigKey? key)
    {
        var keyName = key?.Name ?? "(none)";
        if (tsig.Status == TsigVerificationStatus.RejectedByServer)
        {
            return tsig.Error switch
            {
                DnsResponseCode.BadSig => $"The DNS server rejected the TSIG key '{keyName}' (BADSIG): dnsTsigSecret does not match the server's secret for that key.",
                DnsResponseCode.BadKey => $"The DNS server does not know TSIG key '{keyName}' with algorithm {key?.AlgorithmName} (BADKEY): check dnsTsigKeyName and dnsTsigAlgorithm against the server's key.",
                DnsResponseCode.BadTime => $"The DNS server refused the TSIG signature's time (BADTIME): this machine's clock and the server's differ by more than {TsigSigner.Fudge} s.",
                _ => $"The DNS server rejected the TSIG signature ({tsig.Error.ToString().ToUpperInvariant()}).",
            };
        }

        if (code == DnsResponseCode.NoError)
        {
            return tsig.Status switch
            {
                TsigVerificationStatus.Verified => null,
                TsigVerificationStatus.NotSigned when key is null => null,
                TsigVerificationStatus.NotSigned => "The DNS server's answer to a signed update was not signed; it may not be the server that holds the key.",
                TsigVerificationStatus.BadTime => "The DNS server's answer was signed at a time more than 300 s from this machine's clock.",
                _ => "The DNS server's answer does not carry a valid TSIG signature for our key; the update's outcome cannot be trusted.",
            };
        }

        return code switch
        {
            DnsResponseCode.Refused when key is null => $"The DNS server refused the update to zone '{zone}' (REFUSED): it needs a TSIG key. Set dnsTsigKeyName and dnsTsigSecret.",
            DnsResponseCode.Refused => $"The DNS server refused the update to zone '{zone}' (REFUSED): its update-policy does not let key '{keyName}' change these names.",
            DnsResponseCode.NotAuth => $"The DNS server is not authoritative for zone '{zone}' (NOTAUTH): check dnsZone and dnsServer.",
            DnsResponseCode.NotZone => $"A name is outside zone '{zone}' (NOTZONE): check dnsZone.",
            DnsResponseCode.NotImp => "The DNS server does not support dynamic updates (NOTIMP).",
            DnsResponseCode.ServFail => $"The DNS server failed to apply the update to zone '{zone}' (SERVFAIL); its log says why.",
            DnsResponseCode.FormErr => "The DNS server could not parse the update (FORMERR).",
            DnsResponseCode.NXDomain or DnsResponseCode.YXDomain or DnsResponseCode.YXRRSet or DnsResponseCode.NXRRSet =>
                $"A prerequisite of the update failed ({code.ToString().ToUpperInvariant()}); nothing was changed.",
            _ => $"The DNS server answered {code} to the update; nothing was changed.",
        };
    }
}
