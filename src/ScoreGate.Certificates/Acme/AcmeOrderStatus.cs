using System.Text.Json.Serialization;

namespace ScoreGate.Certificates.Acme;

/// <summary>
/// Where an order is (RFC 8555 7.1.6), read from the CA's JSON by its RFC 8555 name. A status the
/// RFC does not define is refused where the order is read, as a protocol error naming the CA.
/// </summary>
[JsonConverter(typeof(RfcNameEnumConverter<AcmeOrderStatus>))]
public enum AcmeOrderStatus
{
    /// <summary><c>pending</c>: some authorization is not yet valid; answer its challenge.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary><c>ready</c>: every authorization is valid; send the CSR to finalize.</summary>
    [JsonStringEnumMemberName("ready")]
    Ready,

    /// <summary><c>processing</c>: finalized, the CA is issuing; poll the order.</summary>
    [JsonStringEnumMemberName("processing")]
    Processing,

    /// <summary><c>valid</c>: issued; the certificate URL is set.</summary>
    [JsonStringEnumMemberName("valid")]
    Valid,

    /// <summary><c>invalid</c>: an authorization failed, the order expired, or the CA refused it; its error says why. A new order is needed.</summary>
    [JsonStringEnumMemberName("invalid")]
    Invalid,
}
