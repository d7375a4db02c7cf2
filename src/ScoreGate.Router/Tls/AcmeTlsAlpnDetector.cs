using System.Buffers;
using Microsoft.AspNetCore.Connections;
using ScoreGate.Certificates.Acme;

namespace ScoreGate.Router.Tls;

/// <summary>
/// Connection middleware placed before TLS: peeks at the ClientHello, without consuming it,
/// and marks connections that offer <c>acme-tls/1</c> so the handshake callback can answer
/// them with the TLS-ALPN-01 challenge certificate. Installed only when
/// <c>acmeChallenge=tls-alpn-01</c>, so other routers pay nothing.
/// </summary>
public static class AcmeTlsAlpnDetector
{
    /// <summary>The key of the connection item set on ACME validation connections.</summary>
    public const string ItemKey = "ScoreGate.AcmeTlsAlpn";

    // A client that sends nothing is closed after this, as Kestrel's handshake timeout would.
    private static readonly TimeSpan ClientHelloTimeout = TimeSpan.FromSeconds(10);

    public static bool IsAcmeValidation(ConnectionContext connection) =>
        connection?.Items.ContainsKey(ItemKey) == true;

    public static ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(ClientHelloTimeout);
        var input = connection.Transport.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                var length = (int)Math.Min(buffer.Length, ClientHelloAlpn.MaxRecordLength);
                var bytes = ArrayPool<byte>.Shared.Rent(length);
                ClientHelloStatus status;
                IReadOnlyList<string> protocols;
                try
                {
                    buffer.Slice(0, length).CopyTo(bytes);
                    status = ClientHelloAlpn.TryRead(bytes.AsSpan(0, length), out protocols);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(bytes);
                }

                if (status == ClientHelloStatus.Incomplete && !result.IsCompleted && buffer.Length < ClientHelloAlpn.MaxRecordLength)
                {
                    input.AdvanceTo(buffer.Start, buffer.End); // wait for more
                    continue;
                }

                if (status == ClientHelloStatus.Complete && protocols.Contains(TlsAlpn01ChallengeResponder.Protocol))
                {
                    connection.Items[ItemKey] = true;
                }

                input.AdvanceTo(buffer.Start); // nothing consumed or examined: TLS reads the same bytes at once
                break;
            }
        }
        catch (OperationCanceledException)
        {
            connection.Abort();
            return;
        }

        await next(connection);
    };
}
