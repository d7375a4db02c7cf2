using System.Security.Authentication;
using ScoreGate.Certificates.Pem;
using ScoreGate.Router.Configuration;

namespace ScoreGate.Router.Tls;

/// <summary>Loads a certificate source and checks it against the name clients will use.</summary>
public static class TlsBindingLoader
{
    /// <returns>The binding, or a one-line reason prefixed with the settings that named the source.</returns>
    public static TlsBindingLoadResult Load(RouterCertificateSource source, string? cname, SslProtocols minimum, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(source);
        var loaded = PemCertificateLoader.Load(source.Files, time);
        if (!loaded.Succeeded)
        {
            return new(null, $"{source.SettingNames}: {loaded.Error}");
        }

        if (cname is not null && !HostNameMatcher.Covers(loaded.Bundle.Leaf, cname))
        {
            var names = loaded.Bundle.Names;
            loaded.Bundle.Dispose();
            var valid = names.Count == 0 ? "no subject alternative names at all" : string.Join(", ", names);
            return new(null,
                $"{RouterSettingNames.SslCname} '{cname}' is not covered by the certificate in '{source.Files.CertificatePath}', which is valid for: {valid}. " +
                $"Use a certificate that names {cname}, or set {RouterSettingNames.SslCname} to one of the certificate's names.");
        }

        return new(new TlsBinding(cname, source.SettingNames, loaded.Bundle, TlsPolicy.CreateServerOptions(loaded.Bundle, minimum)), null);
    }
}

/// <summary>A binding, or why there is none.</summary>
public sealed record TlsBindingLoadResult(TlsBinding? Binding, string? Error);
