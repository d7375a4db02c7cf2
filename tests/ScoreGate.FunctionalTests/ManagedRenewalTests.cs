using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Xunit.Abstractions;

namespace ScoreGate.FunctionalTests;

/// <summary>tls renew under load, a CA outage during renewal, and endpoints' own managed certificates.</summary>
public sealed class ManagedRenewalTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ManagedPeers _peers = null!;
    private FakeModel _model = null!;

    public async Task InitializeAsync()
    {
        _peers = await ManagedPeers.StartAsync();
        _model = await FakeModel.StartAsync("blue");
    }

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        await _peers.DisposeAsync();
    }

    [Fact]
    public async Task TlsRenew_UnderLoad_NewSerialServedWithNoFailedRequest()
    {
        // DNS-01 through BIND this time: the router publishes and removes the TXT record itself.
        await using var router = await _peers.StartRouterAsync(["--sslLeafDomainLabel", "renew", "--acmeChallenge", "dns-01"]);
        var first = await ManagedPeers.WaitForCertificateAsync(router);
        var hostName = first.GetProperty("managed").GetProperty("hostName").GetString()!;
        var oldSerial = first.GetProperty("serialNumber").GetString()!;
        var (key, _) = await router.CreateServedEndpointAsync("iris", "blue=100", ("blue", _model.Url));
        await router.SetRequestSettingsAsync("iris", "blue", concurrent: 8); // room for the test's parallel clients
        using var root = await _peers.Pebble.GetRootAsync();

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var succeeded = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = HostNameClient.Create(hostName, router.HttpsPort, root);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await ScoreAsync(client, key, stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref succeeded);
                    }
                    else
                    {
                        failures.Enqueue($"HTTP {(int)response.StatusCode}");
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (HttpRequestException error)
                {
                    failures.Enqueue(error.ToString());
                }
            }
        })).ToList();

        await Task.Delay(500);
        var renew = await router.ExpectSuccessAsync("tls", "renew");
        var renewed = await ManagedPeers.WaitForCertificateAsync(router, notSerial: oldSerial);
        var newSerial = renewed.GetProperty("serialNumber").GetString()!;
        Assert.Contains($"serial      {newSerial}", renew.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(newSerial, await TlsProbe.ServerCertificateSerialAsync(router.HttpsPort, hostName));
        await Task.Delay(1500); // new connections (1 s pool lifetime) handshake with the new certificate
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        // How long issuance takes, for the record (first issuance includes the account and DNS update).
        foreach (var line in router.Process.AllOutput.Split('\n').Where(l => l.Contains("issued for", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }

        Assert.Empty(failures);
        Assert.True(succeeded > 100, $"only {succeeded} requests succeeded");
        Assert.Equal(string.Empty, await _peers.Bind.DigAsync($"_acme-challenge.{hostName}", "TXT"));
    }

    [Fact]
    public async Task TlsRenew_CaStopped_OldCertificateServesAndErrorIsShown_ThenSucceedsWhenCaIsBack()
    {
        await using var router = await _peers.StartRouterAsync(["--sslLeafDomainLabel", "outage"]);
        var first = await ManagedPeers.WaitForCertificateAsync(router);
        var hostName = first.GetProperty("managed").GetProperty("hostName").GetString()!;
        var oldSerial = first.GetProperty("serialNumber").GetString()!;

        _peers.Pebble.Stop();
        var failed = await router.CliAsync("tls", "renew");

        failed.ExpectExitCode(1);
        Assert.Contains($"Renewing the certificate for {hostName} failed: The ACME server {_peers.Pebble.DirectoryUrl} cannot be reached", failed.StandardError, StringComparison.Ordinal);
        Assert.Contains($"The current certificate (serial {oldSerial}) keeps serving until", failed.StandardError, StringComparison.Ordinal);
        Assert.Equal(oldSerial, await TlsProbe.ServerCertificateSerialAsync(router.HttpsPort, hostName));
        var show = JsonDocument.Parse((await router.ExpectSuccessAsync("tls", "show", "-o", "json")).StandardOutput).RootElement;
        var managed = show.GetProperty("managed");
        Assert.Equal(1, managed.GetProperty("failedAttempts").GetInt32());
        Assert.StartsWith($"The ACME server {_peers.Pebble.DirectoryUrl} cannot be reached", managed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.True(managed.GetProperty("nextRenewal").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.True(managed.GetProperty("renewRequested").GetBoolean());
        var text = await router.ExpectSuccessAsync("tls", "show");
        Assert.Contains("last error  The ACME server", text.StandardOutput, StringComparison.Ordinal);

        await _peers.Pebble.RestartAsync();
        await router.ExpectSuccessAsync("tls", "renew");
        var renewed = await ManagedPeers.WaitForCertificateAsync(router, notSerial: oldSerial);
        Assert.Equal(0, renewed.GetProperty("managed").GetProperty("failedAttempts").GetInt32());
        Assert.Equal(renewed.GetProperty("serialNumber").GetString(), await TlsProbe.ServerCertificateSerialAsync(router.HttpsPort, hostName));
    }

    [Fact]
    public async Task EndpointLeafDomainLabel_WithTlsAlpn01_ServesAndScoresByItsGeneratedHost()
    {
        await using var router = await _peers.StartRouterAsync(["--allowInsecureConnections", "true", "--acmeChallenge", "tls-alpn-01"]);
        var (key, _) = await router.CreateServedEndpointAsync("iris", "blue=100", ("blue", _model.Url));

        var enabled = await router.ExpectSuccessAsync("tls", "enable", "--endpoint", "iris", "--leaf-domain-label", "iris");

        var view = JsonDocument.Parse((await router.ExpectSuccessAsync("tls", "show", "--endpoint", "iris", "-o", "json")).StandardOutput).RootElement;
        var hostName = view.GetProperty("hostName").GetString()!;
        Assert.Matches(@"^iris[a-z0-9]{6}\.local\.endpoints\.test$", hostName);
        Assert.Contains($"host name   {hostName}", enabled.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("tls-alpn-01", view.GetProperty("managed").GetProperty("challenge").GetString());
        using var root = await _peers.Pebble.GetRootAsync();
        using var client = HostNameClient.Create(hostName, router.HttpsPort, root);
        using var response = await ScoreAsync(client, key, default, "/score");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Disabled: the name is no longer served, and nothing renews it any more.
        await router.ExpectSuccessAsync("tls", "disable", "--endpoint", "iris");
        var renew = await router.CliAsync("tls", "renew", "--endpoint", "iris");
        renew.ExpectExitCode(1);
        Assert.Equal(1, _peers.Pebble.OrderCount);
    }

    [Fact]
    public async Task TlsRenew_CertificateNotManaged_SaysHowToRenewIt()
    {
        await using var router = await _peers.StartRouterAsync(["--allowInsecureConnections", "true"]);
        await router.CreateEndpointAsync("plain");

        var router404 = await router.CliAsync("tls", "renew", "--endpoint", "plain");

        Assert.Equal(1, router404.ExitCode);
        Assert.Contains("Endpoint 'plain' has no managed certificate: 'tls renew' renews certificates set with 'tls enable --endpoint plain --leaf-domain-label L'.", router404.StandardError, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> ScoreAsync(HttpClient client, string key, CancellationToken cancellationToken, string path = "/api/v1/service/iris/score")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = ScoringTests.Json("""{"data": [[5.1, 3.5, 1.4, 0.2]]}""") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request, cancellationToken);
    }
}
