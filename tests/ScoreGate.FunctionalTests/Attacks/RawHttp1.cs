using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ScoreGate.FunctionalTests.Attacks;

/// <summary>
/// Hand-written HTTP/1.1 bytes over a real TLS connection (TcpClient + SslStream, ALPN http/1.1),
/// so a test can send what no HTTP client library would: conflicting framing, folded or bare-LF
/// header lines, control characters, pipelined requests. Bytes are taken one per char (Latin-1),
/// so "\u00e9" is the single byte 0xE9.
/// </summary>
public static class RawHttp1
{
    /// <summary>
    /// With no new byte for this long, the server is taken to be waiting for more (keep-alive).
    /// Every case in the suite ends with the server closing the connection, so this is only reached
    /// when something is wrong; it is long enough for a loaded CI machine.
    /// </summary>
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    /// <summary>No exchange lasts longer than this, whatever the server does.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>Sends <paramref name="request"/> in one write and reads until the server closes the connection or goes idle.</summary>
    public static async Task<RawExchange> SendAsync(int port, X509Certificate2 root, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => LocalhostTrust.ChainsTo(certificate, root),
        });
        await tls.WriteAsync(Encoding.Latin1.GetBytes(request));
        await tls.FlushAsync();

        var received = new MemoryStream();
        var closed = false;
        var buffer = new byte[64 * 1024];
        using var overall = new CancellationTokenSource(Deadline);
        while (!overall.IsCancellationRequested)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
            idle.CancelAfter(Idle);
            try
            {
                var read = await tls.ReadAsync(buffer, idle.Token);
                if (read == 0)
                {
                    closed = true;
                    break;
                }

                received.Write(buffer, 0, read);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (IOException)
            {
                // A reset (RST) after the answer: the server dropped the connection.
                closed = true;
                break;
            }
        }

        return new RawExchange(Parse(Encoding.Latin1.GetString(received.ToArray())), closed);
    }

    /// <summary>Splits what the server sent into responses (Content-Length or chunked bodies).</summary>
    private static List<RawResponse> Parse(string text)
    {
        var responses = new List<RawResponse>();
        var at = 0;
        while (at < text.Length)
        {
            var headEnd = text.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
            if (headEnd < 0)
            {
                throw new InvalidDataException($"An incomplete response head: {text[at..]}");
            }

            var lines = text[at..headEnd].Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers[line[..colon]] = line[(colon + 1)..].Trim();
            }

            at = headEnd + 4;
            var body = new StringBuilder();
            if (headers.TryGetValue("Transfer-Encoding", out var coding) && coding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                while (true)
                {
                    var sizeEnd = text.IndexOf("\r\n", at, StringComparison.Ordinal);
                    var size = int.Parse(text[at..sizeEnd], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    at = sizeEnd + 2;
                    if (size == 0)
                    {
                        at = text.IndexOf("\r\n", at, StringComparison.Ordinal) + 2;
                        break;
                    }

                    body.Append(text, at, size);
                    at += size + 2;
                }
            }
            else if (headers.TryGetValue("Content-Length", out var value))
            {
                var length = int.Parse(value, CultureInfo.InvariantCulture);
                body.Append(text, at, length);
                at += length;
            }
            else
            {
                // Neither: the body runs to the end of the connection (an answer to HTTP/1.0).
                body.Append(text, at, text.Length - at);
                at = text.Length;
            }

            responses.Add(new RawResponse(status, headers, body.ToString()));
        }

        return responses;
    }
}

/// <summary>What the server answered to one write of raw bytes.</summary>
/// <param name="Responses">Every response, in order.</param>
/// <param name="ClosedByServer">The server closed (or reset) the connection; false when it was still open, waiting.</param>
public sealed record RawExchange(IReadOnlyList<RawResponse> Responses, bool ClosedByServer);

/// <summary>One HTTP/1.1 response as it came over the wire.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body);
