using System.Security.Cryptography;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// Three routers sharing one PostgreSQL store and one master key, each with its own ports and
/// stateDir (as three replicas would be), serving a certificate for localhost; one fake model.
/// </summary>
public sealed class ScaleOutFixture : IAsyncLifetime
{
    private readonly TempDirectory _files = new();

    public TestCertificateAuthority Ca { get; } = TestCertificateAuthority.CreateRoot();

    public PostgresServer Postgres { get; private set; } = null!;

    public FakeModel Model { get; private set; } = null!;

    public IReadOnlyList<RouterProcess> Routers { get; private set; } = [];

    public string FilesPath => _files.Path;

    /// <summary>The settings every router gets to share the store: the connection and the same master key.</summary>
    public static async Task<string[]> SharedStoreSettingsAsync(PostgresServer postgres, TempDirectory files)
    {
        var keyFile = files.File("master.key");
        if (!File.Exists(keyFile))
        {
            await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return ["--store", await postgres.CreateDatabaseAsync(), "--masterKeyFile", keyFile];
    }

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        Model = await FakeModel.StartAsync("blue");
        using var leaf = Ca.Issue(["localhost", "127.0.0.1"]);
        var (certificate, key) = leaf.WriteTo(_files.Path);
        string[] settings = ["--sslCertPemFile", certificate, "--sslKeyPemFile", key, "--sslCname", "localhost", .. await SharedStoreSettingsAsync(Postgres, _files)];
        // Started together, as a Deployment's replicas are: the store's migrations must cope.
        Routers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RouterProcess.StartAsync(settings)));
    }

    public async Task DisposeAsync()
    {
        foreach (var router in Routers)
        {
            await router.DisposeAsync();
        }

        await Model.DisposeAsync();
        await Postgres.DisposeAsync();
        Ca.Dispose();
        _files.Dispose();
    }
}
