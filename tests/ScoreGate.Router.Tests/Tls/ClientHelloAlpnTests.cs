using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using ScoreGate.Router.Tls;

namespace ScoreGate.Router.Tests.Tls;

public sealed class ClientHelloAlpnTests
{
    [Theory]
    [InlineData("acme-tls/1")]
    [InlineData("h2,http/1.1")]
    public async Task TryRead_RealClientHello_ReadsTheOfferedProtocols(string list)
    {
        var offered = list.Split(',');
        var hello = await CaptureClientHelloAsync(offered);

        Assert.Equal(ClientHelloStatus.Complete, ClientHelloAlpn.TryRead(hello, out var protocols));
        Assert.Equal(offered, protocols);
        Assert.Equal(ClientHelloStatus.Incomplete, ClientHelloAlpn.TryRead(hello.AsSpan(0, hello.Length - 1), out _));
    }

    [Fact]
    public async Task TryRead_ClientHelloWithoutAlpn_IsCompleteWithNoProtocols()
    {
        var hello = await CaptureClientHelloAsync([]);

        Assert.Equal(ClientHelloStatus.Complete, ClientHelloAlpn.TryRead(hello, out var protocols));
        Assert.Empty(protocols);
    }

    [Theory]
    [InlineData(new byte[] { 0x47, 0x45, 0x54, 0x20, 0x2F })] // "GET /": plain HTTP on the TLS port
    [InlineData(new byte[] { 22, 3, 1, 0, 4, 2, 0, 0, 0 })]   // a handshake record that is not a ClientHello
    public void TryRead_NotAClientHello_SaysSo(byte[] data)
    {
        Assert.Equal(ClientHelloStatus.NotClientHello, ClientHelloAlpn.TryRead(data, out _));
    }

    [Fact]
    public async Task TryRead_MutatedClientHellos_NeverThrow()
    {
        var seed = await CaptureClientHelloAsync(["acme-tls/1", "h2"]);
        var random = new Random(8737);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = (byte[])seed.Clone();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }

            _ = ClientHelloAlpn.TryRead(bytes, out _);
        }
    }

    /// <summary>The first flight of a real .NET TLS client, caught by a listener that never answers.</summary>
    private static async Task<byte[]> CaptureClientHelloAsync(string[] protocols)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = await listener.AcceptTcpClientAsync();
        var tls = new SslStream(client.GetStream());
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "name.endpoints.test",
            ApplicationProtocols = [.. protocols.Select(p => new SslApplicationProtocol(p))],
        });

        var buffer = new byte[ClientHelloAlpn.MaxRecordLength];
        var read = 0;
        var stream = server.GetStream();
        while (ClientHelloAlpn.TryRead(buffer.AsSpan(0, read), out _) == ClientHelloStatus.Incomplete)
        {
            read += await stream.ReadAsync(buffer.AsMemory(read));
        }

        client.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        return buffer[..read];
    }
}
