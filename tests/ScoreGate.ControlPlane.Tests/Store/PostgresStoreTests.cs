using System.Security.Cryptography;
using Npgsql;
using ScoreGate.ControlPlane.Secrets;
using ScoreGate.ControlPlane.Store;

namespace ScoreGate.ControlPlane.Tests.Store;

/// <summary>One throwaway PostgreSQL server for the class; each test gets a database of its own.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class PostgresStoreTests(PostgresFixture postgres) : StoreContractTests, IClassFixture<PostgresFixture>
{
    private string _connectionString = null!;

    public override async Task InitializeAsync() => _connectionString = await postgres.Server.CreateDatabaseAsync();

    [Fact]
    public async Task Open_ByManyRoutersAtOnce_MigratesOnce()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => OpenAsync()));

        foreach (var store in stores)
        {
            Assert.Equal(StoreMigrations.All.Max(m => m.Version), await store.GetSchemaVersionAsync());
        }

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM schema_migrations", connection);
        Assert.Equal((long)StoreMigrations.All.Count, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Writes_AreAnnouncedWithTheirRevision_AtCommit()
    {
        var writer = await OpenAsync();
        var listener = await OpenAsync();
        await using var connection = await listener.ListenAsync(default);
        var announced = new List<string>();
        connection.Notification += (_, e) => announced.Add(e.Payload);

        await writer.InsertEndpointAsync(Endpoint("iris"));
        await writer.InsertEndpointAsync(Endpoint("IRIS"));
        await connection.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([(await writer.GetRevisionAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture)], announced);
    }

    [Fact]
    public async Task Open_WithAConnectionStringNpgsqlCannotRead_SaysHowToWriteOne()
    {
        var error = await Assert.ThrowsAsync<StoreException>(() => SqlStore.OpenPostgresAsync("Hots=db;Database=x", Secrets));

        Assert.Contains("Host=db.example;Port=5432;Database=scoregate", error.Message);
    }

    [Fact]
    public async Task Open_WhenTheServerIsNotThere_NamesTheStore_WithoutThePassword()
    {
        var port = FreePort.Next();

        var error = await Assert.ThrowsAsync<StoreException>(() =>
            SqlStore.OpenPostgresAsync($"Host=127.0.0.1;Port={port};Database=scoregate;Username=scoregate;Password=hunter2-secret", new SecretProtector(RandomNumberGenerator.GetBytes(32))));

        Assert.Contains($"PostgreSQL 127.0.0.1:{port}/scoregate", error.Message);
        Assert.DoesNotContain("hunter2-secret", error.Message);
    }

    protected override Task<SqlStore> OpenStoreAsync(SecretProtector secrets) => SqlStore.OpenPostgresAsync(_connectionString, secrets);

    protected override async Task<string> StoredTextAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COALESCE(string_agg(row, E'\\n'), '') FROM (SELECT e::text AS row FROM endpoints e UNION ALL SELECT t::text FROM tls_bindings t " +
            "UNION ALL SELECT m::text FROM managed_certificates m UNION ALL SELECT a::text FROM acme_accounts a UNION ALL SELECT k::text FROM token_signing_keys k) rows",
            connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
