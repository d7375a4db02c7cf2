using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Testing;

/// <summary>
/// An HTTPS client for a host name that has no address on this machine: every connection goes
/// to the router on loopback, while SNI, the Host header and the name check stay real.
/// </summary>
public static class HostNameClient
{
    public static HttpClient Create(string hostName, int port, X509Certificate2 root)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, sent, _) =>
                {
                    using var chain = new X509Chain();
                    // The intermediates the server sent (an ACME CA's chain has one).
                    foreach (var element in sent?.ChainElements.ToArray() ?? [])
                    {
                        chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                    }

                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(root);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    using var leaf = new X509Certificate2(certificate!);
                    return chain.Build(leaf) && leaf.MatchesHostname(hostName);
                },
            },
            // New connections see a rotated certificate; old ones finish their requests.
            PooledConnectionLifetime = TimeSpan.FromSeconds(1),
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{hostName}:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }
}
