using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using ScoreGate.Certificates.Pem;

namespace ScoreGate.Router.Tls;

/// <summary>Loads a certificate source and checks it against the name clients will use.</summary>
public static class TlsBindingLoader
{
    /// <param name="source">Where the certificate comes from.</param>
    /// <param name="cname">The host name clients use, which the certificate must cover; null to skip the check.</param>
    /// <param name="minimum">The lowest TLS version to offer.</param>
    /// <param name="time">The clock validity is checked against.</param>
    /// <param name="cnameName">How messages name where <paramref name="cname"/> was set.</param>
    /// <returns>The binding, or a one-line reason prefixed with the source's description.</returns>
    public static TlsBindingLoadResult Load(CertificateSource source, string? cname, SslProtocols minimum, TimeProvider time, string cnameName = DataPlaneSettingNames.SslCname) =>
        Load(source, cname, minimum, time, cnameName, null, null, null);

    private static TlsBindingLoadResult Load(
        CertificateSource source, string? cname, SslProtocols minimum, TimeProvider time, string cnameName, ClientCertificatePolicy? policy, string? bindingName, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        var loaded = source.Load(time);
        if (!loaded.Succeeded)
        {
            return new(null, $"{source.Description}: {loaded.Error}");
        }

        if (cname is not null && !HostNameMatcher.Covers(loaded.Bundle.Leaf, cname))
        {
            var names = loaded.Bundle.Names;
            loaded.Bundle.Dispose();
            var valid = names.Count == 0 ? "no subject alternative names at all" : string.Join(", ", names);
            return new(null,
                $"{cnameName} '{cname}' is not covered by the certificate {Where(source)}, which is valid for: {valid}. " +
                $"Use a certificate that names {cname}, or set {cnameName} to one of the certificate's names.");
        }

        return new(new TlsBinding(cname, source.Description, loaded.Bundle, TlsPolicy.CreateServerOptions(loaded.Bundle, minimum, policy, bindingName, logger), policy), null);
    }

    /// <summary>Loads a binding as its spec says, client-certificate rules included.</summary>
    /// <param name="spec">What should be served.</param>
    /// <param name="minimum">The lowest TLS version to offer.</param>
    /// <param name="time">The clock validity is checked against.</param>
    /// <param name="logger">Where handshakes refused for their client certificate are logged; null for a check that serves nothing.</param>
    public static TlsBindingLoadResult Load(TlsBindingSpec spec, SslProtocols minimum, TimeProvider time, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ClientCertificatePolicy? policy = null;
        if (spec.ClientCertificates is { } files)
        {
            // The client CA first: a bad one is reported without loading the certificate for nothing.
            var clientLoad = ClientCertificatePolicy.Load(files, time);
            if (clientLoad.Error is { } clientError)
            {
                return new(null, clientError);
            }

            policy = clientLoad.Policy;
        }

        var name = spec.HostName is null ? "the router's default binding" : $"host {spec.HostName}";
        return Load(spec.Source, spec.Cname, minimum, time, spec.CnameName, policy, name, logger);
    }

    private static string Where(CertificateSource source) =>
        source is FileCertificateSource file ? $"in '{file.Files.CertificatePath}'" : $"from {source.Description}";
}

/// <summary>A binding, or why there is none.</summary>
public sealed record TlsBindingLoadResult(TlsBinding? Binding, string? Error);
