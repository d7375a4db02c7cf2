using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace ScoreGate.Dns;

/// <summary>
/// Sends one message and returns the response with the same id: UDP first (three tries),
/// TCP when the message is too big for UDP or the response comes back truncated (RFC 1035 4.2,
/// RFC 7766).
/// </summary>
public sealed class DnsTransport(IPEndPoint server, TimeSpan timeout)
{
    private const int UdpLimit = 512;
    private const int UdpTries = 3;

    public IPEndPoint Server { get; } = server;

    /// <returns>The response bytes.</returns>
    /// <exception cref="DnsTransportException">No answer within the timeout, or the connection failed.</exception>
    public async Task<byte[]> ExchangeAsync(byte[] request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = BinaryPrimitives.ReadUInt16BigEndian(request);
        if (request.Length <= UdpLimit)
        {
            var response = await ExchangeUdpAsync(request, id, cancellationToken);
            if ((BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(2)) & Wire.DnsMessage.TruncatedFlag) == 0)
            {
                return response;
            }
        }

        return await ExchangeTcpAsync(request, id, cancellationToken);
    }

    private async Task<byte[]> ExchangeUdpAsync(byte[] request, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(Server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(Server, cancellationToken);
        var buffer = new byte[ushort.MaxValue];
        for (var attempt = 1; attempt <= UdpTries; attempt++)
        {
            await socket.SendAsync(request, SocketFlags.None, cancellationToken);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(timeout);
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
                    // Anything else on this socket is a stray or spoofed datagram: ignore it.
                    if (received >= 12 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id)
                    {
                        return buffer[..received];
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No answer in time: send again.
            }
            catch (SocketException error)
            {
                throw new DnsTransportException($"DNS server {Server} cannot be reached over UDP: {error.Message}.", error);
            }
        }

        throw new DnsTransportException($"DNS server {Server} did not answer over UDP ({UdpTries} tries, {timeout.TotalSeconds:0.#} s each). Check dnsServer and that the server is running.");
    }

    private async Task<byte[]> ExchangeTcpAsync(byte[] request, ushort id, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            using var socket = new Socket(Server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(Server, wait.Token);
            using var stream = new NetworkStream(socket, ownsSocket: false);
            var length = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)request.Length);
            await stream.WriteAsync(length, wait.Token);
            await stream.WriteAsync(request, wait.Token);
            while (true)
            {
                await stream.ReadExactlyAsync(length, wait.Token);
                var response = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
                await stream.ReadExactlyAsync(response, wait.Token);
                if (response.Length >= 12 && BinaryPrimitives.ReadUInt16BigEndian(response) == id)
                {
                    return response;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DnsTransportException($"DNS server {Server} did not answer over TCP within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception error) when (error is SocketException or IOException)
        {
            throw new DnsTransportException($"DNS server {Server} cannot be reached over TCP: {error.Message}.", error);
        }
    }
}

/// <summary>The DNS server could not be reached or did not answer.</summary>
public sealed class DnsTransportException : Exception
{
    public DnsTransportException()
    {
    }

    public DnsTransportException(string message)
        : base(message)
    {
    }

    public DnsTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
