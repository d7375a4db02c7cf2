using System.Text.Json.Serialization;

namespace ScoreGate.Certificates.Acme;

/// <summary>Where an authorization is (RFC 8555 7.1.6), read from the CA's JSON by its RFC 8555 name.</summary>
[JsonConverter(typeof(RfcNameEnumConverter<AcmeAuthorizationStatus>))]
public enum AcmeAuthorizationStatus
{
    /// <summary><c>pending</c>: waiting for a challenge to be answered and validated.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary><c>valid</c>: the CA has validated the name (perhaps earlier, and still trusts it).</summary>
    [JsonStringEnumMemberName("valid")]
    Valid,

    /// <summary><c>invalid</c>: validation failed; the challenge's error says why.</summary>
    [JsonStringEnumMemberName("invalid")]
    Invalid,

    /// <summary><c>deactivated</c>: the account gave it up.</summary>
    [JsonStringEnumMemberName("deactivated")]
    Deactivated,

    /// <summary><c>expired</c>: it was not completed, or not used, in time.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,

    /// <summary><c>revoked</c>: the CA withdrew it.</summary>
    [JsonStringEnumMemberName("revoked")]
    Revoked,
}
