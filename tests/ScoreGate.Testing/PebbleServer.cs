using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Testing;

/// <summary>
/// A throwaway Pebble (the ACME test CA) on loopback, its HTTPS listener signed by a test CA
/// whose PEM is at <see cref="ListenerCaFile"/> (what <c>acmeCaBundle</c> points to). Its
/// validator connects to <paramref name="httpPort"/>/<paramref name="tlsPort"/> for HTTP-01 and
/// TLS-ALPN-01, and resolves names through the DNS server given (BIND in these tests).
/// </summary>
public sealed class PebbleServer : IDisposable
{
    private readonly TempDirectory _directory;
    private readonly string _config;
    private readonly string _dnsServer;
    private ProcessRun _process;

    private PebbleServer(TempDirectory directory, string config, string dnsServer, int port, int managementPort)
    {
        _directory = directory;
        _config = config;
        _dnsServer = dnsServer;
        Port = port;
        ManagementPort = managementPort;
        _process = null!;
    }

    public int Port { get; }

    public int ManagementPort { get; }

    public Uri DirectoryUrl => new($"https://127.0.0.1:{Port}/dir");

    public string ListenerCaFile => _directory.File("listener-ca.pem");

    public string Log => _process.AllOutput;

    /// <summary>How many orders Pebble has created since it started (from its log).</summary>
    public int OrderCount => Log.Split('\n').Count(l => l.Contains("POST /order-plz", StringComparison.Ordinal));

    /// <param name="dnsServer">host:port Pebble resolves names with.</param>
    /// <param name="httpPort">Where Pebble's validator connects for HTTP-01.</param>
    /// <param name="tlsPort">Where it connects for TLS-ALPN-01.</param>
    public static async Task<PebbleServer> StartAsync(string dnsServer, int httpPort, int tlsPort)
    {
        var directory = new TempDirectory();
        using (var ca = TestCertificateAuthority.CreateRoot("Pebble Listener Test CA"))
        using (var leaf = ca.Issue(["localhost", "127.0.0.1"]))
        {
            directory.Write("listener-ca.pem", ca.CertificatePem);
            leaf.WriteTo(directory.Path);
        }

        var port = FreePort.Next();
        var managementPort = FreePort.Next();
        var config = directory.Write("pebble.json", $$"""
            {"pebble": {
              "listenAddress": "127.0.0.1:{{port}}", "managementListenAddress": "127.0.0.1:{{managementPort}}",
              "certificate": "{{directory.File("cert.pem")}}", "privateKey": "{{directory.File("key.pem")}}",
              "httpPort": {{httpPort}}, "tlsPort": {{tlsPort}}, "ocspResponderURL": "", "externalAccountBindingRequired": false
            }
            }
            """);
        var server = new PebbleServer(directory, config, dnsServer, port, managementPort);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Stops Pebble (to test a CA outage); <see cref="RestartAsync"/> brings it back on the same ports.</summary>
    public void Stop() => _process.Kill();

    public Task RestartAsync()
    {
        _process.Dispose();
        return StartProcessAsync();
    }

    /// <summary>The root that signs what Pebble issues (new at every Pebble start).</summary>
    public async Task<X509Certificate2> GetRootAsync()
    {
        using var http = CreateHttpClient();
        var pem = await http.GetStringAsync(new Uri($"https://127.0.0.1:{ManagementPort}/roots/0"));
        return X509Certificate2.CreateFromPem(pem);
    }

    /// <summary>An HttpClient that trusts Pebble's listener.</summary>
    public HttpClient CreateHttpClient()
    {
        var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(ListenerCaFile));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        return new HttpClient(handler);
    }

    public void Dispose()
    {
        _process?.Dispose();
        _directory.Dispose();
    }

    private async Task StartProcessAsync()
    {
        _process = ProcessRun.Start("pebble", ["-config", _config, "-dnsserver", _dnsServer, "-strict=false"], environment: new Dictionary<string, string>
        {
            ["PEBBLE_VA_NOSLEEP"] = "1",
            ["PEBBLE_WFE_NONCEREJECT"] = "0",
            ["PEBBLE_AUTHZREUSE"] = "0",
        });
        await _process.WaitForLineAsync(l => l.Contains("Listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
    }
}
