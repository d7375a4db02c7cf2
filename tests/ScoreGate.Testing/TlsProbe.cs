using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Testing;

/// <summary>Makes a fresh TLS handshake and reports the certificate the server presented.</summary>
public static class TlsProbe
{
    public static async Task<string> ServerCertificateSerialAsync(int port, string serverName)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        string? serial = null;
#pragma warning disable CA5359 // The probe only reads which certificate is served; it sends nothing over the connection.
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            serial = certificate is null ? null : new X509Certificate2(certificate).SerialNumber;
            return true;
        });
#pragma warning restore CA5359
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName });
        return serial ?? throw new InvalidOperationException("The server presented no certificate.");
    }
}
