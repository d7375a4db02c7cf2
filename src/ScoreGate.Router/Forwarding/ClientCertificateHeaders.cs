using Microsoft.AspNetCore.Http;
using ScoreGate.Router.Tls;

namespace ScoreGate.Router.Forwarding;

/// <summary>
/// The client certificate's identity for the model, with <c>forwardClientCertificate=true</c>
/// (off by default). Headers of these names sent by the client are always dropped
/// (<see cref="ForwardedHeaders"/>), so a model that reads them can trust that the router set them.
/// </summary>
internal static class ClientCertificateHeaders
{
    /// <summary>The certificate's subject distinguished name, as in RFC 4514 order ("CN=alice, O=Contoso").</summary>
    public const string Subject = "X-Client-Cert-Subject";

    /// <summary>Its subject alternative names on one line ("DNS Name=alice.contoso.com, Email=...").</summary>
    public const string SubjectAlternativeNames = "X-Client-Cert-SAN";

    /// <summary>Its SHA-256 fingerprint, upper-case hex without separators.</summary>
    public const string Sha256 = "X-Client-Cert-SHA256";

    /// <summary>The headers to add for this request's connection, or null when none are forwarded.</summary>
    public static ClientCertificateValidation? ToForward(HttpContext context) =>
        context.Features.Get<ClientCertificateFeature>() is { ForwardToModel: true, Validation: { IsValid: true } validation } ? validation : null;
}
