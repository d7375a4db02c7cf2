using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// A SQLite store that breaks under a running router (a damaged file, as a full disk or a bad
/// sector leaves it) or before a start: health tells the truth, the router keeps serving, and
/// every answer says what to do.
/// </summary>
public sealed class StoreHealthTests
{
    [Fact]
    public async Task StoreThatRefusesWrites_MarksTheRouterDegraded_KeepsScoring_AndRecoversOnTheNextWrite()
    {
        await using var model = await FakeModel.StartAsync("blue");
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true"]);
        var (key, _) = await router.CreateServedEndpointAsync("steady", "blue=100", ("blue", model.Url));
        using var admin = router.CreateAdminClient();
        using var scoring = new HttpClient { BaseAddress = router.HttpBase };
        var database = Path.Combine(router.StateDir, "scoregate.db");
        var intact = await File.ReadAllBytesAsync(database);

        await DamageTableAsync(database, "endpoints");
        using var refused = await admin.PatchAsJsonAsync("/api/endpoints/steady", new { description = "after the damage" });
        using var health = await admin.GetAsync("/healthz");
        var metrics = await router.ScrapeMetricsAsync();
        var status = await router.CliAsync("status");
        var scored = await ScoreAsync(scoring, "steady", key);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var message = await MessageAsync(refused);
        Assert.True(message!.StartsWith($"The store (SQLite {database}) failed: SQLite Error 11: 'database disk image is malformed'. Nothing was changed, and the router keeps serving what it served.", StringComparison.Ordinal), message);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains($"Degraded: the store (SQLite {database}) failed: SQLite Error 11", await health.Content.ReadAsStringAsync());
        Assert.Equal(0, metrics.Value("scoregate_store_up"));
        status.ExpectExitCode(1);
        Assert.Contains("Degraded: the store", status.StandardError);
        Assert.Equal(HttpStatusCode.OK, scored.StatusCode);

        // The file is put right (restored from a backup): the next change goes through and ends it.
        SqliteConnection.ClearAllPools();
        await File.WriteAllBytesAsync(database, intact);
        await Eventually.TrueAsync(async () =>
        {
            using var retried = await admin.PatchAsJsonAsync("/api/endpoints/steady", new { description = "restored" });
            return retried.IsSuccessStatusCode;
        }, "a change after the restore did not go through", TimeSpan.FromSeconds(10));
        using var healthy = await admin.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(1, (await router.ScrapeMetricsAsync()).Value("scoregate_store_up"));
    }

    [Fact]
    public async Task Serve_WithADamagedStoreFile_ExitsWithOneLineNamingTheFileAndTheFix()
    {
        using var state = new TempDirectory();
        await using (var first = await RouterProcess.StartAsync(["--allowInsecureConnections", "true"], state.Path))
        {
            await first.ExpectSuccessAsync("endpoint", "create", "--name", "kept");
        }

        var database = state.File("scoregate.db");
        await DamageTableAsync(database, "endpoints");
        using var run = ProcessRun.StartScoreGate(["serve", "--allowInsecureConnections", "true", "--stateDir", state.Path, "--httpsPort", $"{FreePort.Next()}", "--httpPort", $"{FreePort.Next()}",
            "--adminUrl", $"http://127.0.0.1:{FreePort.Next()}", "--listenAddress", "127.0.0.1"], state.Path);
        await run.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(2 == run.ExitCode, run.StandardError);
        Assert.DoesNotContain("Unhandled exception", run.StandardError);
        Assert.DoesNotContain("   at ", run.StandardError);
        Assert.Contains($"  - store: The store (SQLite {database}) ", run.StandardError);
        Assert.Contains($"Restore {database} from a backup (with the same master.key), or move it aside to start with an empty store, where endpoints, keys and certificates must be created again.", run.StandardError);
    }

    [Fact]
    public async Task AdminErrors_AlwaysHaveAJsonMessage()
    {
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true"]);
        using var admin = router.CreateAdminClient();

        using var unknown = await admin.GetAsync("/api/nothing-here");
        using var wrongMethod = await admin.PutAsync("/healthz", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("The admin API has no /api/nothing-here. The CLI verbs (scoregate endpoint|deployment|tls|dns|status) call the right routes; README.md lists them.", await MessageAsync(unknown));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("/healthz does not take PUT. The CLI verbs (scoregate endpoint|deployment|tls|dns|status) call the right routes; README.md lists them.", await MessageAsync(wrongMethod));
    }

    /// <summary>
    /// Overwrites a table's root page with garbage, as a torn write or a bad sector would, and moves
    /// the file change counter (header offset 24) so connections that cached the page read it again.
    /// </summary>
    private static async Task DamageTableAsync(string database, string table)
    {
        long rootPage, pageSize;
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = '{table}'";
            rootPage = (long)(await command.ExecuteScalarAsync())!;
            command.CommandText = "PRAGMA page_size";
            pageSize = (long)(await command.ExecuteScalarAsync())!;
        }

        await using var file = new FileStream(database, FileMode.Open, FileAccess.ReadWrite);
        file.Seek(((rootPage - 1) * pageSize) + 8, SeekOrigin.Begin);
        await file.WriteAsync(Enumerable.Repeat((byte)0xff, (int)pageSize - 8).ToArray());
        var counter = new byte[4];
        file.Seek(24, SeekOrigin.Begin);
        await file.ReadExactlyAsync(counter);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(counter, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(counter) + 1);
        file.Seek(24, SeekOrigin.Begin);
        await file.WriteAsync(counter);
    }
}
