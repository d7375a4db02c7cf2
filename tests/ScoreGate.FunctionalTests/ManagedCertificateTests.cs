using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// sslLeafDomainLabel end to end: a generated name published in BIND, a certificate from
/// Pebble, scoring over HTTPS to that name, and the name kept across restarts.
/// </summary>
public sealed partial class ManagedCertificateTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ManagedPeers _peers = null!;

    public async Task InitializeAsync() => _peers = await ManagedPeers.StartAsync();

    public async Task DisposeAsync() => await _peers.DisposeAsync();

    [Fact]
    public async Task RouterLabel_PublishesNameGetsPebbleCertificateAndScores_KeepsNameAcrossRestarts()
    {
        await using var model = await FakeModel.StartAsync("blue");
        using var state = new TempDirectory();
        string hostName;
        string serial;
        await using (var router = await _peers.StartRouterAsync(["--sslLeafDomainLabel", "contoso"], state.Path))
        {
            var view = await ManagedPeers.WaitForCertificateAsync(router);
            hostName = view.GetProperty("managed").GetProperty("hostName").GetString()!;
            serial = view.GetProperty("serialNumber").GetString()!;
            Assert.Matches(GeneratedName(), hostName);
            Assert.Equal([hostName], view.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
            Assert.Equal("127.0.0.1", await _peers.Bind.DigAsync(hostName));

            var (key, _) = await router.CreateServedEndpointAsync("iris", "blue=100", ("blue", model.Url));
            using var root = await _peers.Pebble.GetRootAsync();
            using var client = HostNameClient.Create(hostName, router.HttpsPort, root);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/iris/score") { Content = ScoringTests.Json("""{"data": [[5.1, 3.5, 1.4, 0.2]]}""") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var issuedLine = router.Process.AllOutput.Split('\n').Single(l => l.Contains("Managed certificate of router issued", StringComparison.Ordinal));
            output.WriteLine(issuedLine);
        }

        // sslRenew: same name, a new certificate at start.
        await using (var restarted = await _peers.StartRouterAsync(["--sslLeafDomainLabel", "contoso", "--sslRenew", "true"], state.Path))
        {
            var view = await ManagedPeers.WaitForCertificateAsync(restarted, notSerial: serial);
            Assert.Equal(hostName, view.GetProperty("managed").GetProperty("hostName").GetString());
        }

        await using (var overwritten = await _peers.StartRouterAsync(["--sslLeafDomainLabel", "contoso", "--sslOverwriteExistingDomain", "true"], state.Path))
        {
            var view = await ManagedPeers.WaitForCertificateAsync(overwritten);
            var newName = view.GetProperty("managed").GetProperty("hostName").GetString()!;
            Assert.Matches(GeneratedName(), newName);
            Assert.NotEqual(hostName, newName);
            Assert.Equal("127.0.0.1", await _peers.Bind.DigAsync(newName));
        }
    }

    [Fact]
    public async Task WrongTsigSecret_ShowsBadSig_PublishesNothing_AndOrdersNothing()
    {
        var wrong = Convert.ToBase64String(new byte[32]);
        await using var router = await _peers.StartRouterAsync(["--sslLeafDomainLabel", "badsig"], secret: wrong);

        JsonElement view = default;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            view = JsonDocument.Parse((await router.ExpectSuccessAsync("tls", "show", "-o", "json")).StandardOutput).RootElement.Clone();
            if (view.GetProperty("managed").GetProperty("failedAttempts").GetInt32() > 0)
            {
                break;
            }

            await Task.Delay(200);
        }

        var managed = view.GetProperty("managed");
        var hostName = managed.GetProperty("hostName").GetString()!;
        Assert.False(view.GetProperty("enabled").GetBoolean());
        Assert.Equal(
            $"Publishing '{hostName}' to DNS server {_peers.Bind.Address} failed: The DNS server rejected the TSIG key 'ddns-key' (BADSIG): dnsTsigSecret does not match the server's secret for that key.",
            managed.GetProperty("lastError").GetString());
        Assert.Equal(string.Empty, await _peers.Bind.DigAsync(hostName));
        Assert.Equal(0, _peers.Pebble.OrderCount);
        Assert.DoesNotContain(wrong, router.Process.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DnsShowAndVerify_ReportRecordsAndCatchAMissingOne()
    {
        await using var router = await _peers.StartRouterAsync(["--sslLeafDomainLabel", "contoso"]);
        var view = await ManagedPeers.WaitForCertificateAsync(router);
        var hostName = view.GetProperty("managed").GetProperty("hostName").GetString()!;

        var show = await router.ExpectSuccessAsync("dns", "show");
        Assert.Contains($"name        {hostName}", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("record      A     127.0.0.1 (TTL 60 s)", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"RFC 2136 updates to {_peers.Bind.Address} (zone endpoints.test, TSIG key 'ddns-key' (hmac-sha256))", show.StandardOutput, StringComparison.Ordinal);

        var verified = await router.ExpectSuccessAsync("dns", "verify");
        Assert.Contains($"server      {_peers.Bind.Address}: 127.0.0.1 (TTL 60 s)", verified.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("result      OK", verified.StandardOutput, StringComparison.Ordinal);

        await _peers.Bind.NsupdateAsync($"update delete {hostName}. A");
        var broken = await router.CliAsync("dns", "verify");
        broken.ExpectExitCode(1);
        Assert.Contains($"{hostName} does not resolve as it should: DNS server {_peers.Bind.Address} has no A or AAAA record for {hostName}.", broken.StandardError, StringComparison.Ordinal);

        // tls renew publishes the name again.
        await router.ExpectSuccessAsync("tls", "renew");
        Assert.Equal(0, (await router.CliAsync("dns", "verify")).ExitCode);
    }

    [Fact]
    public async Task DnsShow_RouterWithoutGeneratedName_SaysHowToGetOne()
    {
        await using var router = await _peers.StartRouterAsync(["--allowInsecureConnections", "true"]);

        var run = await router.CliAsync("dns", "show");

        run.ExpectExitCode(1);
        Assert.Contains("The router has no generated name: it gets one from sslLeafDomainLabel (with dnsZone).", run.StandardError, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^contoso[a-z0-9]{6}\.local\.endpoints\.test$")]
    private static partial Regex GeneratedName();
}
