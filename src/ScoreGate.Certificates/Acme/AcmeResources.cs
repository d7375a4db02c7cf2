using System.Text.Json.Serialization;

namespace ScoreGate.Certificates.Acme;

/// <summary>The directory (RFC 8555 7.1.1), plus <c>renewalInfo</c> from ARI (RFC 9773 4).</summary>
public sealed record AcmeDirectory(
    Uri NewNonce,
    Uri NewAccount,
    Uri NewOrder,
    Uri? RenewalInfo,
    AcmeDirectoryMeta? Meta);

/// <summary>RFC 8555 7.1.1 <c>meta</c>.</summary>
public sealed record AcmeDirectoryMeta(bool ExternalAccountRequired, Uri? TermsOfService);

/// <summary>An identifier (RFC 8555 9.7.7); ScoreGate only asks for <c>dns</c> names.</summary>
public sealed record AcmeIdentifier(string Type, string Value)
{
    public static AcmeIdentifier Dns(string name) => new("dns", name);
}

/// <summary>An order (RFC 8555 7.1.3).</summary>
public sealed record AcmeOrder(
    AcmeOrderStatus Status,
    IReadOnlyList<AcmeIdentifier> Identifiers,
    IReadOnlyList<Uri> Authorizations,
    Uri Finalize,
    Uri? Certificate,
    AcmeProblem? Error);

/// <summary>An authorization (RFC 8555 7.1.4).</summary>
public sealed record AcmeAuthorization(
    AcmeAuthorizationStatus Status,
    AcmeIdentifier Identifier,
    IReadOnlyList<AcmeChallenge> Challenges,
    bool Wildcard);

/// <summary>A challenge (RFC 8555 7.1.5, 8). <see cref="Type"/> stays text: a CA may offer kinds ScoreGate does not answer.</summary>
public sealed record AcmeChallenge(string Type, Uri Url, string Status, string? Token, AcmeProblem? Error)
{
    /// <summary>The kind, or null when ScoreGate does not know it.</summary>
    [JsonIgnore]
    public AcmeChallengeKind? Kind => AcmeChallengeKinds.TryParse(Type, out var kind) ? kind : null;
}

/// <summary>A problem document (RFC 8555 6.7, RFC 7807).</summary>
public sealed record AcmeProblem(string? Type, string? Detail, int? Status, IReadOnlyList<AcmeProblem>? Subproblems, AcmeIdentifier? Identifier)
{
    /// <summary>The part after <c>urn:ietf:params:acme:error:</c>, such as <c>badNonce</c>.</summary>
    [JsonIgnore]
    public string ShortType => Type?.StartsWith(AcmeErrorPrefix, StringComparison.Ordinal) == true ? Type[AcmeErrorPrefix.Length..] : Type ?? "unknown";

    private const string AcmeErrorPrefix = "urn:ietf:params:acme:error:";

    /// <summary>One sentence: the detail, each subproblem with its identifier, and the type.</summary>
    public string Describe()
    {
        var parts = new List<string> { $"{Detail ?? "no detail given"} ({ShortType})" };
        foreach (var sub in Subproblems ?? [])
        {
            parts.Add($"{sub.Identifier?.Value ?? "?"}: {sub.Detail} ({sub.ShortType})");
        }

        return string.Join("; ", parts);
    }
}

/// <summary>ARI's answer (RFC 9773 4.2): when the CA would like the certificate renewed.</summary>
public sealed record AcmeRenewalInfo(AcmeRenewalWindow SuggestedWindow, Uri? ExplanationUrl);

/// <summary>RFC 9773 4.2 <c>suggestedWindow</c>.</summary>
public sealed record AcmeRenewalWindow(DateTimeOffset Start, DateTimeOffset End);
