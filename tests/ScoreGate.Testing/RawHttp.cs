using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ScoreGate.Testing;

/// <summary>
/// HTTP/1.1 written by hand over a real socket (TLS optional), for what HttpClient refuses to
/// send: malformed chunked bodies, control characters in headers, a body that trickles in.
/// </summary>
public sealed class RawHttp : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;

    private RawHttp(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    /// <param name="port">The router's port on 127.0.0.1.</param>
    /// <param name="tlsHost">The SNI name to open TLS with, or null for plain HTTP.</param>
    /// <param name="root">With TLS: the only root the server's chain may end in.</param>
    public static async Task<RawHttp> ConnectAsync(int port, string? tlsHost = null, X509Certificate2? root = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        Stream stream = tcp.GetStream();
        if (tlsHost is not null)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = tlsHost,
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { root ?? throw new ArgumentNullException(nameof(root), "TLS needs the root to trust.") },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            });
            stream = tls;
        }

        return new RawHttp(tcp, stream);
    }

    /// <summary>Sends text as Latin-1 bytes, so a test can put any byte in a header.</summary>
    public async Task SendAsync(string text)
    {
        await _stream.WriteAsync(Encoding.Latin1.GetBytes(text));
        await _stream.FlushAsync();
    }

    /// <summary>Reads until the server closes the connection (send <c>Connection: close</c>), bounded by <paramref name="within"/>.</summary>
    public async Task<RawResponse> ReadToCloseAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the answer arrived: the answer is what the test looks at.
        }

        return RawResponse.Parse(Encoding.Latin1.GetString(received.ToArray()));
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}

/// <summary>One HTTP/1.1 response as read off the wire.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body)
{
    public static RawResponse Parse(string text)
    {
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new InvalidOperationException($"Not an HTTP response: '{text}'");
        }

        var lines = text[..split].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => (p[0].Trim(), p[1].Trim())).ToList();
        var body = text[(split + 4)..];
        if (headers.Any(h => h.Item1.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Item2.Equals("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            body = Unchunk(body);
        }

        return new RawResponse(status, headers, body);
    }

    public string? Header(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    /// <summary>The <c>message</c> of a JSON error body.</summary>
    public string? Message() => System.Text.Json.JsonDocument.Parse(Body).RootElement.GetProperty("message").GetString();

    private static string Unchunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[position..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            result.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return result.ToString();
    }
}
