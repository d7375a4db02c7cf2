using System.Collections.Concurrent;
using System.Net.Sockets;

namespace ScoreGate.Router.Forwarding;

/// <summary>
/// Model instances reached over a Unix socket instead of a loopback port: the inference hosts the
/// router runs itself. A socket in a folder only the router's user can enter cannot be taken over
/// by another local user while an instance restarts, and cannot be called past the router's keys,
/// as a loopback port can. Each socket gets a host name of its own under <c>.invalid</c> (never
/// resolvable), so URLs, probes and connection pooling work unchanged.
/// </summary>
public static class ModelSockets
{
    private const string Domain = ".socket.scoregate.invalid";

    private static readonly ConcurrentDictionary<string, string> Paths = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The base URL that reaches <paramref name="path"/>; <see cref="Unregister"/> it when the instance goes.</summary>
    public static Uri Register(string path)
    {
        var host = $"i{Guid.NewGuid():N}{Domain}";
        Paths[host] = path;
        return new Uri($"http://{host}/");
    }

    public static void Unregister(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        Paths.TryRemove(url.Host, out _);
    }

    /// <summary>How people should see an instance's address: <c>unix:/path</c> for a socket, else the URL.</summary>
    public static string Describe(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Paths.TryGetValue(url.Host, out var path) ? $"unix:{path}" : url.ToString();
    }

    /// <summary>SocketsHttpHandler's connect step (probes and https:// models): the same sockets as <see cref="ConnectAsync(string, int, CancellationToken)"/>.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var socket = await ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
        return new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>A connected socket to a model: a registered name goes to its Unix socket, anything else over TCP.</summary>
    public static async ValueTask<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var unix = host.EndsWith(Domain, StringComparison.OrdinalIgnoreCase);
        // An unknown name under the domain (an instance just removed) fails like a refused connection.
        string? path = null;
        if (unix && !Paths.TryGetValue(host, out path))
        {
            throw new SocketException((int)SocketError.ConnectionRefused);
        }

        var socket = unix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (path is not null)
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
