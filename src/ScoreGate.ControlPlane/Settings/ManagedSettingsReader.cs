using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AcmeExternalAccount = ScoreGate.Certificates.Acme.AcmeExternalAccount;
using CertificateKeyType = ScoreGate.Certificates.Acme.CertificateKeyType;
using ScoreGate.Dns.Tsig;
using ScoreGate.Dns.Wire;
using static ScoreGate.ControlPlane.Settings.RouterSettingNames;

namespace ScoreGate.ControlPlane.Settings;

/// <summary>Reads <see cref="ManagedSettings"/>, adding one message per problem (STYLE.md §4).</summary>
public static partial class ManagedSettingsReader
{
    /// <summary>Generated names add 6 characters to the label, and a DNS label holds 63.</summary>
    public const int MaxLabelLength = 57;

    internal static ManagedSettings Read(SettingValues reader, List<string> errors)
    {
        var label = reader.Text(SslLeafDomainLabel);
        if (label is not null)
        {
            label = label.ToLowerInvariant();
            if (LabelProblem(label, MaxLabelLength) is { } problem)
            {
                errors.Add($"{SslLeafDomainLabel} '{label}' {problem}");
            }
        }

        var region = reader.Text(Region)!.ToLowerInvariant();
        if (LabelProblem(region, 63) is { } regionProblem)
        {
            errors.Add($"{Region} '{region}' {regionProblem}");
        }

        var zone = reader.Text(DnsZone)?.TrimEnd('.').ToLowerInvariant();
        if (zone is not null && (DnsName.Problem(zone) is not null || !zone.Contains('.', StringComparison.Ordinal)))
        {
            errors.Add($"{DnsZone} '{zone}' is not a DNS zone. Give the zone generated names live in, such as endpoints.contoso.com.");
        }

        var settings = new ManagedSettings
        {
            LeafDomainLabel = label,
            OverwriteExistingDomain = reader.Bool(SslOverwriteExistingDomain),
            Renew = reader.Bool(SslRenew),
            Region = region,
            DnsZone = zone,
            PublicIps = ReadPublicIps(reader, errors),
            AcmeDirectory = ReadHttpsUrl(reader, AcmeDirectory, errors) ?? new Uri(Find(AcmeDirectory)!.Default!),
            AcmeFallbackDirectory = ReadHttpsUrl(reader, AcmeFallbackDirectory, errors),
            AcmeEmail = ReadEmail(reader, errors),
            AcmeCaBundlePem = ReadCaBundle(reader, errors),
            AcmeExternalAccount = ReadExternalAccount(reader, errors),
            AcmeChallenge = ReadChallenge(reader, errors),
            AcmeKeyType = ReadKeyType(reader, errors),
            DnsServer = ReadDnsServer(reader, errors),
            DnsTsigKey = ReadTsigKey(reader, errors),
        };

        if (label is not null && zone is null)
        {
            errors.Add($"{SslLeafDomainLabel} needs {DnsZone}: the DNS zone the generated name lives in, such as endpoints.contoso.com.");
        }

        if (label is null && (settings.Renew || settings.OverwriteExistingDomain))
        {
            errors.Add($"{(settings.Renew ? SslRenew : SslOverwriteExistingDomain)} applies only to a managed certificate: set {SslLeafDomainLabel} too, or remove it.");
        }

        if (label is not null && settings.DnsServer is not null && settings.PublicIps.Count == 0)
        {
            errors.Add($"{DnsServer} is set, so the router publishes the A record of its generated name, but {PublicIp} is not. Set {PublicIp} to the address clients reach the router at.");
        }

        if (settings.AcmeChallenge == "dns-01" && settings.DnsServer is null)
        {
            errors.Add($"{AcmeChallenge}=dns-01 publishes TXT records through {DnsServer}, which is not set. Set {DnsServer}, {DnsTsigKeyName} and {DnsTsigSecret}, or use http-01.");
        }

        return settings;
    }

    /// <returns>Null for a valid DNS label of at most <paramref name="maxLength"/> characters, else the rest of a sentence saying why not.</returns>
    public static string? LabelProblem(string label, int maxLength) =>
        label.Length <= maxLength && LabelPattern().IsMatch(label)
            ? null
            : $"is not a DNS label: use 1 to {maxLength} letters, digits and hyphens, not starting or ending with a hyphen.";

    /// <returns>False (with an error) when only one of two settings that go together is set.</returns>
    private static bool BothOrNeither(string? first, string firstName, string? second, string secondName, string how, List<string> errors)
    {
        if ((first is null) == (second is null))
        {
            return true;
        }

        var (given, missing) = first is null ? (secondName, firstName) : (firstName, secondName);
        errors.Add($"{given} is set but {missing} is not. Set both, {how}.");
        return false;
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex LabelPattern();

    private static List<IPAddress> ReadPublicIps(SettingValues reader, List<string> errors)
    {
        var addresses = new List<IPAddress>();
        foreach (var part in (reader.Text(PublicIp) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPAddress.TryParse(part, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                errors.Add($"{PublicIp} '{part}' is not an IP address. Give the address(es) clients reach the router at, such as 203.0.113.10 or 203.0.113.10,2001:db8::10.");
            }
        }

        return addresses;
    }

    private static Uri? ReadHttpsUrl(SettingValues reader, string name, List<string> errors)
    {
        var value = reader.Text(name);
        if (value is null)
        {
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps)
        {
            return url;
        }

        errors.Add($"{name} '{value}' is not an https:// URL. Give the CA's ACME directory URL, such as https://acme-v02.api.letsencrypt.org/directory.");
        return null;
    }

    private static string? ReadEmail(SettingValues reader, List<string> errors)
    {
        var value = reader.Text(AcmeEmail);
        if (value is not null && (!value.Contains('@', StringComparison.Ordinal) || value.Any(char.IsWhiteSpace)))
        {
            errors.Add($"{AcmeEmail} '{value}' is not an email address.");
            return null;
        }

        return value;
    }

    private static string? ReadCaBundle(SettingValues reader, List<string> errors)
    {
        var path = reader.Text(AcmeCaBundle);
        if (path is null)
        {
            return null;
        }

        try
        {
            var pem = File.ReadAllText(Path.GetFullPath(path));
            if (!pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                errors.Add($"{AcmeCaBundle} '{path}' holds no PEM certificate. Give a PEM file with the CA certificate(s) the ACME server's HTTPS chains to.");
                return null;
            }

            return pem;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{AcmeCaBundle} '{path}' cannot be read: {error.Message}");
            return null;
        }
    }

    private static AcmeExternalAccount? ReadExternalAccount(SettingValues reader, List<string> errors)
    {
        var keyId = reader.Text(AcmeEabKeyId);
        var hmacKey = reader.Text(AcmeEabHmacKey);
        if (!BothOrNeither(keyId, AcmeEabKeyId, hmacKey, AcmeEabHmacKey, "as the CA gave them", errors))
        {
            return null;
        }

        return keyId is null ? null : new AcmeExternalAccount(keyId, hmacKey!);
    }

    private static string ReadChallenge(SettingValues reader, List<string> errors)
    {
        var value = reader.Text(AcmeChallenge)!.ToLowerInvariant();
        if (value is "http-01" or "tls-alpn-01" or "dns-01")
        {
            return value;
        }

        errors.Add($"{AcmeChallenge} '{value}' is not a challenge type. Use http-01, tls-alpn-01 or dns-01.");
        return "http-01";
    }

    private static CertificateKeyType ReadKeyType(SettingValues reader, List<string> errors)
    {
        switch (reader.Text(AcmeKeyType)!.ToLowerInvariant())
        {
            case "ecdsa-p256":
                return CertificateKeyType.EcdsaP256;
            case "rsa-2048":
                return CertificateKeyType.Rsa2048;
            case var other:
                errors.Add($"{AcmeKeyType} '{other}' is not supported. Use ecdsa-p256 or rsa-2048.");
                return CertificateKeyType.EcdsaP256;
        }
    }

    private static IPEndPoint? ReadDnsServer(SettingValues reader, List<string> errors)
    {
        var value = reader.Text(DnsServer);
        if (value is null)
        {
            return null;
        }

        if (IPAddress.TryParse(value, out var address))
        {
            return new IPEndPoint(address, 53);
        }

        if (IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port > 0)
        {
            return endpoint;
        }

        errors.Add($"{DnsServer} '{value}' is not an IP address with an optional port, such as 192.0.2.53 or 127.0.0.1:5353.");
        return null;
    }

    private static TsigKey? ReadTsigKey(SettingValues reader, List<string> errors)
    {
        var name = reader.Text(DnsTsigKeyName);
        var secret = reader.Text(DnsTsigSecret);
        if (!BothOrNeither(name, DnsTsigKeyName, secret, DnsTsigSecret, "as in the key file tsig-keygen wrote", errors) || name is null)
        {
            return null;
        }

        var parsed = TsigKey.Parse(name, secret!, reader.Text(DnsTsigAlgorithm));
        if (parsed.Error is not null)
        {
            // The secret itself never appears in a message.
            errors.Add($"{DnsTsigKeyName}/{DnsTsigSecret}/{DnsTsigAlgorithm}: {parsed.Error}.");
        }

        return parsed.Key;
    }
}
