using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace ScoreGate.FunctionalTests;

/// <summary>Certificates change under a running router with no failed request.</summary>
public sealed class RotationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan ServedWithin = TimeSpan.FromSeconds(2);

    private readonly TempDirectory _dir = new();
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.CreateRoot();
    private FakeModel _model = null!;

    public async Task InitializeAsync() => _model = await FakeModel.StartAsync("blue");

    [Fact]
    public async Task MountedSecret_RotatedTenTimesUnderLoad_NoFailedRequestAndEachSerialServedWithinTwoSeconds()
    {
        var secret = new MountedSecret(_dir.File("secrets"), "rot");
        using (var first = _ca.Issue(["localhost"]))
        {
            await secret.PublishAsync(first);
        }

        await using var router = await RouterProcess.StartAsync(["--sslSecret", "rot", "--secretsRoot", _dir.File("secrets"), "--sslCname", "localhost"]);
        var (key, _) = await router.CreateServedEndpointAsync("rot", "blue=100", ("blue", _model.Url));
        await router.SetRequestSettingsAsync("rot", "blue", concurrent: 8); // room for the test's parallel clients

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var load = new LoadCounter();
        var workers = Enumerable.Range(0, 4).Select(_ => load.RunAsync(router, _ca, key, freshConnections: false, stop.Token))
            .Concat(Enumerable.Range(0, 2).Select(_ => load.RunAsync(router, _ca, key, freshConnections: true, stop.Token)))
            .ToList();

        var delays = new List<TimeSpan>();
        var serials = new List<string>();
        for (var rotation = 0; rotation < 10; rotation++)
        {
            using var next = _ca.Issue(["localhost"]);
            serials.Add(next.SerialNumber);
            var clock = Stopwatch.StartNew();
            await secret.PublishAsync(next);
            while (await TlsProbe.ServerCertificateSerialAsync(router.HttpsPort, "localhost") != next.SerialNumber)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Rotation {rotation}: serial {next.SerialNumber} not served after {clock.Elapsed}.");
                await Task.Delay(50);
            }

            delays.Add(clock.Elapsed);
        }

        // Bounded: run on until at least 5,000 requests were made, then stop the workers.
        while (load.Succeeded + load.Failed < 5000 && !stop.IsCancellationRequested)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);

        output.WriteLine($"{load.Succeeded} requests ok, {load.Failed} failed, {load.FreshConnections} on fresh connections; " +
            $"new serial served after (ms): {string.Join(", ", delays.Select(d => (int)d.TotalMilliseconds))}");
        Assert.True(load.Succeeded >= 5000, $"Only {load.Succeeded} requests ran.");
        Assert.True(load.Failed == 0, $"{load.Failed} requests failed; first: {load.FirstFailure}");
        Assert.True(load.FreshConnections > 100, $"Only {load.FreshConnections} fresh connections.");
        Assert.All(delays, d => Assert.True(d <= ServedWithin, $"A new serial took {d} to be served: {string.Join(", ", delays)}"));
        Assert.All(serials, serial => Assert.Contains($"(serial {serial}, valid until", router.Process.StandardOutput));
    }

    [Fact]
    public async Task PemFiles_BrokenReload_KeepsPreviousCertificateServing_ThenAFixIsPickedUp()
    {
        using var first = _ca.Issue(["localhost"]);
        var (cert, key) = first.WriteTo(_dir.Path);
        await using var router = await RouterProcess.StartAsync(["--sslCertPemFile", cert, "--sslKeyPemFile", key, "--sslCname", "localhost"]);
        using var client = router.CreateHttpsClient(_ca.Certificate);
        using var keepAlive = router.CreateHttpsClient(_ca.Certificate);
        Assert.Equal(HttpStatusCode.OK, (await keepAlive.GetAsync("/")).StatusCode);

        await File.WriteAllTextAsync(cert, "this is not a certificate");
        await router.Process.WaitForLineAsync(l => l.Contains("The certificate for the router's default binding was refused; the previous certificate keeps serving.", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        Assert.Contains($"'{cert}' is not PEM", router.Process.StandardOutput);
        Assert.Equal(first.SerialNumber, await TlsProbe.ServerCertificateSerialAsync(router.HttpsPort, "localhost"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keepAlive.GetAsync("/")).StatusCode);

        using var fixedCertificate = _ca.Issue(["localhost"]);
        await File.WriteAllTextAsync(key, fixedCertificate.KeyPem);
        await File.WriteAllTextAsync(cert, fixedCertificate.CertificatePem);
        await router.Process.WaitForLineAsync(l => l.Contains($"(serial {fixedCertificate.SerialNumber},", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(fixedCertificate.SerialNumber, await TlsProbe.ServerCertificateSerialAsync(router.HttpsPort, "localhost"));
    }

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        _ca.Dispose();
        _dir.Dispose();
    }

    /// <summary>Scoring requests in a loop, counting outcomes; over one connection or a new one each time.</summary>
    private sealed class LoadCounter
    {
        private int _succeeded;
        private int _failed;
        private int _fresh;

        public int Succeeded => Volatile.Read(ref _succeeded);

        public int Failed => Volatile.Read(ref _failed);

        public int FreshConnections => Volatile.Read(ref _fresh);

        public string? FirstFailure { get; private set; }

        public async Task RunAsync(RouterProcess router, TestCertificateAuthority ca, string key, bool freshConnections, CancellationToken stop)
        {
            var shared = freshConnections ? null : router.CreateHttpsClient(ca.Certificate);
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var client = shared ?? router.CreateHttpsClient(ca.Certificate);
                    try
                    {
                        var response = await ScoringTests.ScoreAsync(client, "rot", key);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            Interlocked.Increment(ref _succeeded);
                        }
                        else
                        {
                            Fail($"status {(int)response.StatusCode}");
                        }
                    }
                    catch (Exception error) when (!stop.IsCancellationRequested)
                    {
                        Fail(error.ToString());
                    }
                    catch (Exception) when (stop.IsCancellationRequested)
                    {
                    }
                    finally
                    {
                        if (shared is null)
                        {
                            Interlocked.Increment(ref _fresh);
                            client.Dispose();
                        }
                    }
                }
            }
            finally
            {
                shared?.Dispose();
            }
        }

        private void Fail(string reason)
        {
            if (Interlocked.Increment(ref _failed) == 1)
            {
                FirstFailure = reason;
            }
        }
    }
}
