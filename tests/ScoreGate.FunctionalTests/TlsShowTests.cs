using System.Text.Json;

namespace ScoreGate.FunctionalTests;

/// <summary>`scoregate tls show` reports what the running router serves.</summary>
public sealed class TlsShowTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Fact]
    public async Task TlsShow_Text_DescribesTheServedCertificate()
    {
        var run = await fixture.Router.ExpectSuccessAsync("tls", "show");

        var lines = run.StandardOutput.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("source      sslCertPemFile/sslKeyPemFile", lines);
        Assert.Contains("names       localhost, 127.0.0.1", lines);
        Assert.Contains("chain       CN=localhost", lines);
        Assert.Contains("key         ECDSA P-256 (256 bits)", lines);
        Assert.Contains(lines, l => l.StartsWith("not after   ", StringComparison.Ordinal) && l.EndsWith("days left)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("warnings    ", StringComparison.Ordinal) && l.Contains("does not reach a trusted root", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TlsShow_Json_CarriesSerialAndValidity()
    {
        var run = await fixture.Router.ExpectSuccessAsync("tls", "show", "--output", "json");

        using var json = JsonDocument.Parse(run.StandardOutput);
        var view = json.RootElement;
        Assert.True(view.GetProperty("enabled").GetBoolean());
        Assert.Equal(await TlsProbe.ServerCertificateSerialAsync(fixture.Router.HttpsPort, "localhost"), view.GetProperty("serialNumber").GetString());
        Assert.True(view.GetProperty("notAfter").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(80));
    }

    [Fact]
    public async Task TlsShow_BadOutputFormat_IsRefused()
    {
        var run = await fixture.Router.CliAsync("tls", "show", "--output", "yaml");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Argument 'yaml' not recognized. Must be one of:", run.StandardError);
    }

    [Fact]
    public async Task TlsShow_InsecureRouter_SaysTlsIsOff()
    {
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true"]);

        var run = await router.ExpectSuccessAsync("tls", "show");

        Assert.Equal("TLS is off: the router serves plain HTTP (allowInsecureConnections=true and no certificate source).", run.StandardOutput.Trim());
    }
}
