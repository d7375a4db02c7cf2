using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Router.Auth;

/// <summary>The HttpClient that fetches the provider's metadata and keys: system roots, or only <c>oidcCaBundle</c>'s CAs.</summary>
public static class OidcHttpClient
{
    /// <summary>A fetch longer than this is an outage: the request that waits for it must not wait longer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <param name="caBundlePem">PEM certificates to trust instead of the system roots (a private provider), or null.</param>
    public static HttpClient Create(string? caBundlePem)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
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

        return new HttpClient(handler) { Timeout = Timeout };
    }
}
