using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Certificates.Acme;

/// <summary>The HttpClient ACME requests go through: system roots, or only the CA bundle given (<c>acmeCaBundle</c>).</summary>
public static class AcmeHttpClient
{
    /// <param name="caBundlePem">PEM certificates to trust instead of the system roots (a private ACME CA), or null.</param>
    public static HttpClient Create(string? caBundlePem)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (caBundlePem is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(caBundlePem);
            handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            handler.SslOptions.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }
}
