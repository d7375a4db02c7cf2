using System.Text.Json;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// BIND (names, DNS-01) and Pebble (the CA) for one managed-certificate test, with the router
/// ports Pebble's validator connects to picked up front.
/// </summary>
public sealed class ManagedPeers : IAsyncDisposable
{
    private ManagedPeers(BindServer bind, PebbleServer pebble, RouterPorts ports)
    {
        Bind = bind;
        Pebble = pebble;
        Ports = ports;
    }

    public BindServer Bind { get; }

    public PebbleServer Pebble { get; }

    public RouterPorts Ports { get; }

    public static async Task<ManagedPeers> StartAsync()
    {
        var ports = RouterPorts.Free();
        var bind = await BindServer.StartAsync();
        var pebble = await PebbleServer.StartAsync(bind.Address, ports.Http, ports.Https);
        return new ManagedPeers(bind, pebble, ports);
    }

    /// <summary>The settings of a router whose names live in BIND and whose certificates come from Pebble.</summary>
    public string[] Settings(params string[] more) =>
    [
        "--dnsZone", Bind.Zone, "--publicIp", "127.0.0.1", "--dnsServer", Bind.Address, "--dnsTsigKeyName", Bind.KeyName,
        "--acmeDirectory", Pebble.DirectoryUrl.AbsoluteUri, "--acmeCaBundle", Pebble.ListenerCaFile, .. more,
    ];

    /// <summary>The TSIG secret goes in the environment, as the docs advise, never on the command line.</summary>
    public IReadOnlyDictionary<string, string> Environment(string? secret = null) =>
        new Dictionary<string, string> { ["SCOREGATE_dnsTsigSecret"] = secret ?? Bind.Secret };

    public Task<RouterProcess> StartRouterAsync(string[] settings, string? stateDir = null, string? secret = null) =>
        RouterProcess.StartAsync(Settings(settings), stateDir, Environment(secret), Ports);

    /// <summary>Polls <c>tls show -o json</c> until a certificate is served (or the time is up).</summary>
    public static async Task<JsonElement> WaitForCertificateAsync(RouterProcess router, string? endpoint = null, string? notSerial = null)
    {
        string[] scope = endpoint is null ? [] : ["--endpoint", endpoint];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement view = default;
        while (DateTime.UtcNow < deadline)
        {
            var show = await router.ExpectSuccessAsync(["tls", "show", "-o", "json", .. scope]);
            view = JsonDocument.Parse(show.StandardOutput).RootElement.Clone();
            if (view.GetProperty("enabled").GetBoolean() && view.GetProperty("serialNumber").GetString() != notSerial)
            {
                return view;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No managed certificate served within 30 s. Last view: {view}\nRouter output:\n{router.Process.AllOutput}");
    }

    public ValueTask DisposeAsync()
    {
        Pebble.Dispose();
        Bind.Dispose();
        return ValueTask.CompletedTask;
    }
}
