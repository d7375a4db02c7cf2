namespace ScoreGate.FunctionalTests;

/// <summary>`scoregate serve` refuses bad settings before anything binds, naming every problem.</summary>
public sealed class ServeStartupTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Serve_NoCertificateAndInsecureNotAllowed_ExitsNamingCertificateSettings()
    {
        using var state = new TempDirectory();
        using var run = await RunServeAsync(state, []);

        run.ExpectExitCode(2);
        Assert.Contains("No certificate source is set and allowInsecureConnections is false", run.StandardError);
        Assert.Contains("sslCertPemFile", run.StandardError);
        Assert.Contains("sslKeyPemFile", run.StandardError);
        Assert.Contains("sslSecret", run.StandardError);
        Assert.Contains("allowInsecureConnections=true", run.StandardError);
    }

    [Fact]
    public async Task Serve_AllowInsecureConnections_ServesPlainHttpAndLogsWarning()
    {
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true"]);
        using var client = new HttpClient();

        var live = await client.GetAsync(new Uri(router.HttpBase, "/"));

        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Contains("warn: ", router.Process.StandardOutput);
        Assert.Contains("allowInsecureConnections=true and no certificate: serving plain HTTP", router.Process.StandardOutput);
    }

    [Fact]
    public async Task Serve_SettingNamesInAnyCase_AreTheSameSettings()
    {
        await using var router = await RouterProcess.StartAsync(["--ALLOWINSECURECONNECTIONS", "true", "--logformat=json"]);
        using var client = new HttpClient();

        var live = await client.GetAsync(new Uri(router.HttpBase, "/"));

        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("\"EventId\":2", router.Process.AllOutput.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_CnameNotCoveredByCertificate_ExitsNamingBothNames()
    {
        using var state = new TempDirectory();
        using var ca = TestCertificateAuthority.CreateRoot();
        using var leaf = ca.Issue(["www.contoso.test"]);
        var (certificate, key) = leaf.WriteTo(state.Path);

        using var run = await RunServeAsync(state, ["--sslCertPemFile", certificate, "--sslKeyPemFile", key, "--sslCname", "other.contoso.test"]);

        run.ExpectExitCode(2);
        Assert.Contains(
            $"sslCname 'other.contoso.test' is not covered by the certificate in '{certificate}', which is valid for: www.contoso.test. " +
            "Use a certificate that names other.contoso.test, or set sslCname to one of the certificate's names.",
            run.StandardError);
    }

    [Fact]
    public async Task Serve_SeveralBadSettings_ReportsEveryProblemAtOnce()
    {
        using var state = new TempDirectory();

        using var run = await RunServeAsync(state, ["--sslCertPemFile", state.File("missing.pem"), "--sslMinProtocol", "Tls11", "--httpPort", "99999"]);

        run.ExpectExitCode(2);
        Assert.Contains("the router cannot start (3 problems)", run.StandardError);
        Assert.Contains("sslCertPemFile is set but sslKeyPemFile is not. Set both: the certificate chain and its private key.", run.StandardError);
        Assert.Contains("sslMinProtocol 'Tls11' is not supported. Use Tls12 or Tls13 (TLS 1.0 and 1.1 are never offered).", run.StandardError);
        Assert.Contains("httpPort '99999' is not a port. Give a number from 1 to 65535.", run.StandardError);
    }

    [Fact]
    public async Task Serve_MissingCertificateFile_ExitsNamingTheFile()
    {
        using var state = new TempDirectory();
        var missing = state.File("nope/cert.pem");

        using var run = await RunServeAsync(state, ["--sslCertPemFile", missing, "--sslKeyPemFile", state.File("key.pem")]);

        run.ExpectExitCode(2);
        Assert.Contains($"sslCertPemFile/sslKeyPemFile: '{missing}' does not exist (its directory is missing). Check the path.", run.StandardError);
    }

    [Fact]
    public async Task Serve_SettingsFileWithMisspeltSetting_ExitsSuggestingTheRightName()
    {
        using var state = new TempDirectory();
        state.Write("scoregate.json", """{"allowInsecureConnections": true, "sslCnmae": "www.contoso.test"}""");

        using var run = await RunServeAsync(state, []);

        run.ExpectExitCode(2);
        Assert.Contains("'sslCnmae' is not a ScoreGate setting. Did you mean 'sslCname'? See 'scoregate serve --help' for the list.", run.StandardError);
    }

    [Fact]
    public async Task Serve_BrokenSettingsFile_ExitsNamingTheFile()
    {
        using var state = new TempDirectory();
        var file = state.Write("scoregate.json", """{"allowInsecureConnections": tru""");

        using var run = await RunServeAsync(state, []);

        run.ExpectExitCode(2);
        Assert.Contains($"'{file}' is not valid:", run.StandardError);
        Assert.Contains("Fix the JSON, or remove the file.", run.StandardError);
    }

    [Fact]
    public async Task Serve_SettingsFromFileAndEnvironment_AreApplied()
    {
        using var state = new TempDirectory();
        var httpPort = FreePort.Next();
        var adminPort = FreePort.Next();
        state.Write("scoregate.json", $$"""{"ALLOWINSECURECONNECTIONS": "true", "adminUrl": "http://127.0.0.1:{{adminPort}}", "listenAddress": "127.0.0.1"}""");
        using var run = ProcessRun.StartScoreGate(["serve"], state.Path, new Dictionary<string, string>
        {
            ["SCOREGATE_httpPort"] = $"{httpPort}",
            ["SCOREGATE_stateDir"] = state.File("state"),
        });

        await run.WaitForLineAsync(l => l.Contains("Router listening on 127.0.0.1"), TimeSpan.FromSeconds(30));
        using var client = new HttpClient();
        var live = await client.GetStringAsync($"http://127.0.0.1:{httpPort}/");
        var health = await client.GetStringAsync($"http://127.0.0.1:{adminPort}/healthz");

        Assert.Equal("Healthy", live);
        Assert.Contains("\"status\": \"ok\"", health);
        Assert.True(File.Exists(state.File("state/admin.token")));
    }

    [Fact]
    public async Task Serve_StoreUnreachable_ExitsNamingTheStore_WithoutItsPassword()
    {
        using var state = new TempDirectory();
        var port = FreePort.Next();
        var environment = new Dictionary<string, string> { ["SCOREGATE_store"] = $"Host=127.0.0.1;Port={port};Database=scoregate;Username=scoregate;Password=hunter2-secret" };

        using var run = await RunServeAsync(state, ["--allowInsecureConnections", "true"], environment);

        run.ExpectExitCode(2);
        Assert.Contains($"store: The store (PostgreSQL 127.0.0.1:{port}/scoregate) cannot be used:", run.StandardError);
        Assert.DoesNotContain("hunter2-secret", run.AllOutput);
    }

    [Fact]
    public async Task Serve_MasterKeyFileOthersCanRead_ExitsNamingTheSettingAndTheFix()
    {
        using var state = new TempDirectory();
        var keyFile = state.Write("master.key", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        File.SetUnixFileMode(keyFile, (UnixFileMode)Convert.ToInt32("644", 8));

        using var run = await RunServeAsync(state, ["--allowInsecureConnections", "true", "--masterKeyFile", keyFile]);

        run.ExpectExitCode(2);
        Assert.Contains($"masterKeyFile: '{keyFile}' can be read by other users (mode 644). Make it private with: chmod 600 '{keyFile}'.", run.StandardError);
    }

    private static async Task<ProcessRun> RunServeAsync(TempDirectory state, string[] settings, IReadOnlyDictionary<string, string>? environment = null)
    {
        var run = ProcessRun.StartScoreGate(["serve", "--stateDir", state.File("state"), "--adminUrl", $"http://127.0.0.1:{FreePort.Next()}", .. settings], state.Path, environment);
        await run.WaitForExitAsync(ExitTimeout);
        return run;
    }
}
