using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// <c>public_network_access: disabled</c> (issue 17): only clients in <c>privateNetworks</c> score;
/// X-Forwarded-For counts only from <c>trustedProxies</c>. Clients are real sockets bound to
/// 127.0.0.2 or 127.0.0.1, which reach the router's 127.0.0.1 listener on Linux.
/// </summary>
public sealed class PrivateNetworkTests
{
    private static string Refusal(string endpoint, string from) =>
        $"Endpoint '{endpoint}' takes scoring requests only from private networks (public_network_access: disabled); {from}. " +
        "Score from a private network, or ask the router's operator to add your network to privateNetworks or to set public_network_access: enabled on the endpoint.";

    [Fact]
    public async Task Disabled_ServesPrivateNetworksOnly_IgnoresSpoofedForwardedFor_AndChangesWithoutARestart()
    {
        await using var model = await FakeModel.StartAsync("blue");
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true", "--privateNetworks", "127.0.0.1/32", "--accessLog", "true"]);
        var (key, _) = await router.CreateServedEndpointAsync("inside", "blue=100", ("blue", model.Url));
        var (openKey, _) = await router.CreateServedEndpointAsync("open", "blue=100", ("blue", model.Url));
        var disabled = await router.ExpectSuccessAsync("endpoint", "update", "--name", "inside", "--public-network-access", "disabled");
        using var shown = JsonDocument.Parse(disabled.StandardOutput);
        using var outside = ClientFrom("127.0.0.2", router.HttpBase);
        using var local = ClientFrom("127.0.0.1", router.HttpBase);
        var modelRequests = model.RequestCount;

        var refused = await ScoreAsync(outside, "inside", key);
        var spoofed = await ScoreAsync(outside, "inside", key, ("X-Forwarded-For", "127.0.0.1"));
        var wrongKey = await ScoreAsync(outside, "inside", "not-the-key");
        var refusedRequests = model.RequestCount - modelRequests;
        var served = await ScoreAsync(local, "inside", key);
        var open = await ScoreAsync(outside, "open", openKey);

        Assert.Equal("disabled", shown.RootElement.GetProperty("public_network_access").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(Refusal("inside", "this request came from 127.0.0.2, which is not in privateNetworks"), await MessageAsync(refused));
        Assert.Equal(HttpStatusCode.Forbidden, spoofed.StatusCode);
        Assert.Equal(Refusal("inside", "this request came from 127.0.0.2, which is not in privateNetworks"), await MessageAsync(spoofed));
        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        Assert.Equal(0, refusedRequests);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        var metrics = await router.ScrapeMetricsAsync();
        Assert.Equal(3, metrics.Value("scoregate_auth_failures_total", ("endpoint", "inside"), ("reason", "public_network")));

        // Enabled again, then disabled again: applied at once, no restart.
        await router.ExpectSuccessAsync("endpoint", "update", "--name", "inside", "--public-network-access", "enabled");
        var reopened = await ScoreAsync(outside, "inside", key);
        await router.ExpectSuccessAsync("endpoint", "update", "--name", "inside", "--public-network-access", "Disabled");
        var closedAgain = await ScoreAsync(outside, "inside", key);
        var list = await router.ExpectSuccessAsync("endpoint", "list");
        using var listed = JsonDocument.Parse(list.StandardOutput);

        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, closedAgain.StatusCode);
        Assert.Equal(
            ["inside=disabled", "open=enabled"],
            listed.RootElement.EnumerateArray().Select(e => $"{e.GetProperty("name").GetString()}={e.GetProperty("public_network_access").GetString()}").Order(StringComparer.Ordinal));
        await Eventually.TrueAsync(() => router.Process.StandardOutput.Contains("client=127.0.0.2", StringComparison.Ordinal), "no access log line names client 127.0.0.2");
    }

    [Fact]
    public async Task TrustedProxy_ForwardedForNamesTheClient_FromOtherPeersItIsIgnored()
    {
        await using var model = await FakeModel.StartAsync("blue");
        await using var router = await RouterProcess.StartAsync(
            ["--allowInsecureConnections", "true", "--privateNetworks", "127.0.0.1/32", "--trustedProxies", "127.0.0.2/32", "--accessLog", "true"]);
        var (key, _) = await router.CreateServedEndpointAsync("behind", "blue=100", ("blue", model.Url));
        await router.ExpectSuccessAsync("endpoint", "update", "--name", "behind", "--public-network-access", "disabled");
        using var proxy = ClientFrom("127.0.0.2", router.HttpBase);
        using var stranger = ClientFrom("127.0.0.3", router.HttpBase);

        var privateClient = await ScoreAsync(proxy, "behind", key, ("X-Forwarded-For", "127.0.0.1"));
        var publicClient = await ScoreAsync(proxy, "behind", key, ("X-Forwarded-For", "127.0.0.1, 127.0.0.3"));
        var unreadable = await ScoreAsync(proxy, "behind", key, ("X-Forwarded-For", "unknown"));
        var proxyItself = await ScoreAsync(proxy, "behind", key);
        var spoofedByStranger = await ScoreAsync(stranger, "behind", key, ("X-Forwarded-For", "127.0.0.1"));

        Assert.Equal(HttpStatusCode.OK, privateClient.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, publicClient.StatusCode);
        Assert.Equal(
            Refusal("behind", "this request came from 127.0.0.3 (the X-Forwarded-For of the trusted proxy 127.0.0.2), which is not in privateNetworks"),
            await MessageAsync(publicClient));
        Assert.Equal(HttpStatusCode.Forbidden, unreadable.StatusCode);
        Assert.Equal(
            Refusal("behind", "this request came through the trusted proxy 127.0.0.2, whose X-Forwarded-For entry 'unknown' is not an IP address, so its client cannot be told and is refused"),
            await MessageAsync(unreadable));
        Assert.Equal(HttpStatusCode.Forbidden, proxyItself.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, spoofedByStranger.StatusCode);
        Assert.Equal(Refusal("behind", "this request came from 127.0.0.3, which is not in privateNetworks"), await MessageAsync(spoofedByStranger));

        // The access log names the client the trusted proxy forwarded for, not the proxy.
        await Eventually.TrueAsync(
            () => router.Process.StandardOutput.Split('\n').Any(line => line.Contains("/behind/score 200 ", StringComparison.Ordinal) && line.Contains("client=127.0.0.1", StringComparison.Ordinal)),
            "no access log line of the served request names client 127.0.0.1");
    }

    [Fact]
    public async Task EndpointFileAndFlag_PublicNetworkAccess_IsHonouredOrRefusedNamingTheFieldOrFlag()
    {
        await using var model = await FakeModel.StartAsync("blue");
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true", "--privateNetworks", "127.0.0.1/32"]);
        using var files = new TempDirectory();
        var good = files.File("inside.yml");
        await File.WriteAllTextAsync(good, "name: fromfile\nauth_mode: key\npublic_network_access: disabled\n");
        var bad = files.File("bad.yml");
        await File.WriteAllTextAsync(bad, "name: badfile\nauth_mode: key\npublic_network_access: private\n");

        var created = await router.ExpectSuccessAsync("endpoint", "create", "-f", good);
        var fromBadFile = await router.CliAsync("endpoint", "create", "-f", bad);
        var fromBadFlag = await router.CliAsync("endpoint", "create", "--name", "badflag", "--public-network-access", "private");
        var flagOverFile = await router.CliAsync("endpoint", "update", "-f", good, "--public-network-access", "sometimes");
        await router.ExpectSuccessAsync("deployment", "create", "--endpoint", "fromfile", "--name", "blue", "--url", model.Url, "--all-traffic");
        var keys = await router.ExpectSuccessAsync("endpoint", "get-credentials", "--name", "fromfile");
        using var keysJson = JsonDocument.Parse(keys.StandardOutput);
        using var outside = ClientFrom("127.0.0.2", router.HttpBase);
        using var local = ClientFrom("127.0.0.1", router.HttpBase);

        using var shown = JsonDocument.Parse(created.StandardOutput);
        Assert.Equal("disabled", shown.RootElement.GetProperty("public_network_access").GetString());
        Assert.DoesNotContain("public_network_access", created.StandardError);
        const string Why = "'{0}' is not supported. Use enabled (the default: every client may score) or disabled (only clients in the router's privateNetworks setting may score).";
        fromBadFile.ExpectExitCode(1);
        Assert.Contains($"error: {bad}:3: public_network_access: {string.Format(null, Why, "private")}", fromBadFile.StandardError);
        fromBadFlag.ExpectExitCode(1);
        Assert.Contains($"--public-network-access: {string.Format(null, Why, "private")}", fromBadFlag.StandardError);
        flagOverFile.ExpectExitCode(1);
        Assert.Contains($"--public-network-access: {string.Format(null, Why, "sometimes")}", flagOverFile.StandardError);
        Assert.Equal(HttpStatusCode.Forbidden, (await ScoreAsync(outside, "fromfile", keysJson.RootElement.GetProperty("primaryKey").GetString()!)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(local, "fromfile", keysJson.RootElement.GetProperty("primaryKey").GetString()!)).StatusCode);
    }

    [Theory]
    [InlineData("privateNetworks", "10.0.0.1/8", "privateNetworks '10.0.0.1/8' has '10.0.0.1/8', which has bits set after its first 8. Write the network, 10.0.0.0/8, or the single address, 10.0.0.1/32.")]
    [InlineData("trustedProxies", "10.0.0.0/33", "trustedProxies '10.0.0.0/33' has '10.0.0.0/33', whose prefix length '33' is not a whole number from 0 to 32. Write it like 10.0.0.0/8.")]
    public async Task BadNetworkSetting_RefusesToStartNamingIt(string setting, string value, string expected)
    {
        using var state = new TempDirectory();
        using var run = ProcessRun.StartScoreGate(
            ["serve", "--stateDir", state.File("state"), "--adminUrl", $"http://127.0.0.1:{FreePort.Next()}", "--allowInsecureConnections", "true", $"--{setting}", value],
            state.Path);
        await run.WaitForExitAsync(TimeSpan.FromSeconds(30));

        run.ExpectExitCode(2);
        Assert.Contains(expected, run.StandardError);
    }

    /// <summary>A client whose connections leave from <paramref name="localAddress"/>.</summary>
    private static HttpClient ClientFrom(string localAddress, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }
}
