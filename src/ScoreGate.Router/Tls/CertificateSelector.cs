using System.Net.Security;

namespace ScoreGate.Router.Tls;

/// <summary>
/// Picks the TLS options for a handshake from an immutable snapshot that is replaced whole
/// (STYLE.md §3, §5), so rotating a certificate never blocks or tears a handshake and
/// selection costs one reference read and a lookup.
/// </summary>
public sealed class CertificateSelector
{
    private TlsSnapshot _snapshot = TlsSnapshot.Empty;

    public TlsSnapshot Current => Volatile.Read(ref _snapshot);

    public void Publish(TlsSnapshot snapshot) => Interlocked.Exchange(ref _snapshot, snapshot);

    /// <returns>The options to use, or null to refuse the handshake (no placeholder certificate is ever served).</returns>
    public SslServerAuthenticationOptions? Select(string? serverName) => Current.Find(serverName)?.ServerOptions;
}
