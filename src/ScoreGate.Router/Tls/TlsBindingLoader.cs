using System.Security.Authentication;
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
    public static TlsBindingLoadResult Load(CertificateSource source, string? cname, SslProtocols minimum, TimeProvider time, string cnameName = DataPlaneSettingNames.SslCname)
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

        return new(new TlsBinding(cname, source.Description, loaded.Bundle, TlsPolicy.CreateServerOptions(loaded.Bundle, minimum)), null);
    }

    private static string Where(CertificateSource source) =>
        source is FileCertificateSource file ? $"in '{file.Files.CertificatePath}'" : $"from {source.Description}";
}

/// <summary>A binding, or why there is none.</summary>
public sealed record TlsBindingLoadResult(TlsBinding? Binding, string? Error);
