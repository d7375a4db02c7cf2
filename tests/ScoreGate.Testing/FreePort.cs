using System.Net;
using System.Net.Sockets;

namespace ScoreGate.Testing;

/// <summary>
/// Ports for processes that need them up front. The OS picks a free one; it is released and
/// reused at once. Ports are never fixed: other work on the machine may hold any of them.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
