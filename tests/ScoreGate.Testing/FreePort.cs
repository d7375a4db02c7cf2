using System.Net;
using System.Net.Sockets;

namespace ScoreGate.Testing;

/// <summary>
/// Ports for processes that need them up front. Ports are never fixed: other work on the
/// machine may hold any of them, so each is checked free (TCP and UDP) when handed out.
/// </summary>
/// <remarks>
/// They come from below Linux's ephemeral range (32768-60999), in turn from a random start: a
/// port the OS picked with bind(0) is one that any outgoing connection (a test's HTTP clients,
/// h2load, PostgreSQL clients) may take as its source port before the router binds it, and the
/// router then fails with "address already in use". The counter keeps parallel test classes of
/// one run from being handed the same port.
/// </remarks>
public static class FreePort
{
    private const int First = 20000;
    private const int Count = 12000;
    private static int _next = Random.Shared.Next(Count);

    public static int Next()
    {
        for (var tries = 0; tries < Count; tries++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port between {First} and {First + Count - 1}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Any, port));
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
