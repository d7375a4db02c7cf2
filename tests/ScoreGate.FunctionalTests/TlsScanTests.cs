using System.Text.Json;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// testssl.sh scans the running router, as an auditor would: only TLS 1.2 and 1.3, forward
/// secrecy and AEAD for every suite, and no HIGH or CRITICAL finding except certificate
/// revocation, which a private test CA (no CRL, no OCSP) always causes.
/// </summary>
public sealed class TlsScanTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    private static readonly HashSet<string> FindingsAPrivateCaAlwaysCauses = ["cert_revocation"];

    [Fact]
    public async Task TestSsl_ProtocolsCiphersAndVulnerabilities_PassAudit()
    {
        using var dir = new TempDirectory();
        var report = dir.File("testssl.json");
        using var scan = await ProcessRun.RunAsync("testssl",
        [
            "--quiet", "--color", "0", "--warnings", "off", "-n", "none", "--add-ca", fixture.CaPath, "--jsonfile", report,
            "-p", "-S", "-P", "-U", "--ip", "127.0.0.1", $"https://localhost:{fixture.Router.HttpsPort}",
        ], TimeSpan.FromMinutes(5));
        Assert.True(File.Exists(report), $"testssl wrote no report (is the testssl.sh package installed? scripts/test installs it):\n{scan.AllOutput}");

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var findings = json.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("id").GetString()!,
            f => (Severity: f.GetProperty("severity").GetString()!, Finding: f.GetProperty("finding").GetString()!));

        foreach (var old in new[] { "SSLv2", "SSLv3", "TLS1", "TLS1_1" })
        {
            Assert.Equal("not offered", findings[old].Finding);
        }

        Assert.Equal("offered", findings["TLS1_2"].Finding);
        Assert.StartsWith("offered", findings["TLS1_3"].Finding);
        Assert.Equal("h2", findings["ALPN_HTTP2"].Finding);
        Assert.All(findings["cipherorder_TLSv1_2"].Finding.Split(' '), suite =>
        {
            Assert.StartsWith("ECDHE-", suite);
            Assert.True(suite.Contains("-GCM-", StringComparison.Ordinal) || suite.Contains("CHACHA20-POLY1305", StringComparison.Ordinal), suite);
        });
        var serious = findings.Where(f => f.Value.Severity is "HIGH" or "CRITICAL" && !FindingsAPrivateCaAlwaysCauses.Contains(f.Key)).ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(f => $"{f.Key} {f.Value.Severity}: {f.Value.Finding}")));
    }
}
