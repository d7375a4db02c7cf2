using Xunit.Abstractions;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// One managed certificate, three routers sharing a PostgreSQL store: one of them orders it, all
/// of them serve it. Pebble validates HTTP-01 on the port of a fourth router that shares the store
/// but has no label and is started first (so it is listening before any order exists): every
/// order the three place is answered from the store.
/// </summary>
public sealed class ScaleOutManagedTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _files = new();
    private ManagedPeers _peers = null!;
    private PostgresServer _postgres = null!;
    private RouterProcess? _validated;
    private RouterProcess[] _routers = [];

    public async Task InitializeAsync()
    {
        _peers = await ManagedPeers.StartAsync();
        _postgres = await PostgresServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var router in _routers.Append(_validated).OfType<RouterProcess>())
        {
            await router.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        await _peers.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task ThreeRoutersWithTheSameCertificateDue_PebbleSeesOneOrder_AndAllServeIt_ThenARenewalThroughAnotherRouterReachesAll()
    {
        string[] store = await ScaleOutFixture.SharedStoreSettingsAsync(_postgres, _files);
        _validated = await RouterProcess.StartAsync(_peers.Settings([.. store, "--allowInsecureConnections", "true"]), environment: _peers.Environment(), ports: _peers.Ports);
        string[] settings = ["--sslLeafDomainLabel", "shared", .. store];

        // Started at once with nothing issued yet: the certificate is due on all three.
        _routers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RouterProcess.StartAsync(_peers.Settings(settings), environment: _peers.Environment())));

        var view = await ManagedPeers.WaitForCertificateAsync(_routers[0]);
        var hostName = view.GetProperty("managed").GetProperty("hostName").GetString()!;
        var serial = view.GetProperty("serialNumber").GetString()!;
        await AllServeAsync(hostName, serial);
        Assert.Equal(1, _peers.Pebble.OrderCount);
        var issuers = _routers.Append(_validated).Where(r => r.Process.AllOutput.Contains("Managed certificate of router issued", StringComparison.Ordinal));
        output.WriteLine($"issued by the router on port {string.Join(", ", issuers.Select(r => r.HttpsPort))}");

        // Forced through one of them; Pebble again dials only the fourth router.
        await _routers[2].ExpectSuccessAsync("tls", "renew");
        var renewed = await ManagedPeers.WaitForCertificateAsync(_routers[2], notSerial: serial);
        await AllServeAsync(hostName, renewed.GetProperty("serialNumber").GetString()!);
        Assert.Equal(2, _peers.Pebble.OrderCount);
    }

    private async Task AllServeAsync(string hostName, string serial)
    {
        foreach (var router in _routers)
        {
            await Eventually.TrueAsync(async () => string.Equals(await TlsProbe.ServerCertificateSerialAsync(router.HttpsPort, hostName), serial, StringComparison.OrdinalIgnoreCase),
                $"router on port {router.HttpsPort} did not serve certificate {serial} for {hostName}", TimeSpan.FromSeconds(15));
        }
    }
}
