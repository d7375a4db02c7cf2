using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ScoreGate.ControlPlane.Secrets;
using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// Endpoints, deployments, keys and certificates in SQL: one SQLite file in <c>stateDir</c> by
/// default, or PostgreSQL shared by several routers (DESIGN.md section 7). Both run the same
/// statements and the same <see cref="StoreMigrations"/>; what differs lives in
/// <see cref="StoreEngine"/>. Secrets are encrypted with <see cref="SecretProtector"/>.
/// </summary>
/// <remarks>Microsoft.Data.Sqlite binds parameter names case-sensitively: spell them as the property names.</remarks>
public sealed partial class SqlStore : IScoreGateStore, IAsyncDisposable
{
    private readonly StoreEngine _engine;
    private readonly SecretProtector _secrets;

    private SqlStore(StoreEngine engine, SecretProtector secrets)
    {
        _engine = engine;
        _secrets = secrets;
    }

    /// <summary>Where the store is, for status reports: a path, or host, port and database (never a password).</summary>
    public string Description => _engine.Description;

    /// <summary>True when several routers can share the store (PostgreSQL): changes must be listened for.</summary>
    public bool IsShared => _engine is PostgresEngine;

    /// <summary>Opens (or creates) the SQLite store file and brings its schema up to date.</summary>
    /// <exception cref="StoreException">The file cannot be used, or its secrets were encrypted with another master key.</exception>
    public static Task<SqlStore> OpenSqliteAsync(string path, SecretProtector secrets, CancellationToken cancellationToken = default) =>
        OpenAsync(SqliteEngine.Create(path), secrets, cancellationToken);

    /// <summary>Connects to PostgreSQL and brings its schema up to date, safely when several routers start at once.</summary>
    /// <exception cref="StoreException">The server cannot be reached, or its secrets were encrypted with another master key.</exception>
    public static Task<SqlStore> OpenPostgresAsync(string connectionString, SecretProtector secrets, CancellationToken cancellationToken = default) =>
        OpenAsync(PostgresEngine.Create(connectionString), secrets, cancellationToken);

    private static async Task<SqlStore> OpenAsync(StoreEngine engine, SecretProtector secrets, CancellationToken cancellationToken)
    {
        var store = new SqlStore(engine, secrets);
        try
        {
            await store.MigrateAsync(cancellationToken);
            await store.CheckIntegrityAsync(cancellationToken);
            await store.CheckMasterKeyAsync(cancellationToken);
            return store;
        }
        catch (DbException error)
        {
            await store.DisposeAsync();
            throw new StoreException($"The store ({engine.Description}) cannot be used: {error.Message}{(engine.AdviceFor(error) is { } advice ? $" {advice}" : string.Empty)}", error);
        }
        catch (StoreException)
        {
            await store.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    /// <summary>A connection of its own that receives every change announced by routers sharing this store.</summary>
    /// <exception cref="InvalidOperationException">The store is not shared (SQLite).</exception>
    internal Task<Npgsql.NpgsqlConnection> ListenAsync(CancellationToken cancellationToken) =>
        _engine is PostgresEngine postgres ? postgres.ListenAsync(cancellationToken) : throw new InvalidOperationException("Only a PostgreSQL store announces changes.");

    /// <summary>The schema version the store is at, for tests and diagnostics.</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ScalarAsync<int>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", null, cancellationToken);
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ScalarAsync<long>("SELECT value FROM revision WHERE id = 1", null, cancellationToken);
    }

    public async Task<IReadOnlyList<EndpointRecord>> ListEndpointsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync($"{SelectEndpoints} ORDER BY name", EndpointRow.Read, null, cancellationToken);
        return [.. rows.Select(ToRecord)];
    }

    public async Task<EndpointRecord?> FindEndpointAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync($"{SelectEndpoints} WHERE name = @name", EndpointRow.Read, null, cancellationToken, ("name", name));
        return row is null ? null : ToRecord(row);
    }

    public Task<bool> InsertEndpointAsync(EndpointRecord endpoint, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            var exists = await connection.ScalarAsync<long>(
                "SELECT COUNT(*) FROM endpoints WHERE name = @Name", transaction, cancellationToken, ("Name", endpoint.Name));
            if (exists > 0)
            {
                return false;
            }

            var row = ToRow(endpoint);
            await connection.ExecuteAsync(
                "INSERT INTO endpoints (name, auth_mode, primary_key, secondary_key, traffic, details, created_at, updated_at, version, incarnation) " +
                "VALUES (@Name, @AuthMode, @PrimaryKey, @SecondaryKey, @Traffic, @Details, @CreatedAt, @UpdatedAt, 1, @Incarnation)",
                transaction, cancellationToken,
                ("Name", row.Name), ("AuthMode", row.AuthMode), ("PrimaryKey", row.PrimaryKey), ("SecondaryKey", row.SecondaryKey), ("Traffic", row.Traffic),
                ("Details", row.Details), ("CreatedAt", row.CreatedAt), ("UpdatedAt", row.UpdatedAt), ("Incarnation", row.Incarnation));
            return true;
        }, cancellationToken);

    public Task<WriteOutcome> UpdateEndpointAsync(EndpointRecord endpoint, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            return await UpdateEndpointUnsynchronizedAsync(connection, transaction, endpoint, cancellationToken);
        }, cancellationToken);

    /// <summary>Writes the endpoint if its row is still at <see cref="EndpointRecord.Version"/>; the caller's transaction holds the row from here to commit.</summary>
    private async Task<WriteOutcome> UpdateEndpointUnsynchronizedAsync(DbConnection connection, DbTransaction transaction, EndpointRecord endpoint, CancellationToken cancellationToken)
    {
        var row = ToRow(endpoint);
        var updated = await connection.ExecuteAsync(
            "UPDATE endpoints SET auth_mode = @AuthMode, primary_key = @PrimaryKey, secondary_key = @SecondaryKey, traffic = @Traffic, details = @Details, updated_at = @UpdatedAt, " +
            "version = version + 1 WHERE name = @Name AND version = @Version",
            transaction, cancellationToken,
            ("AuthMode", row.AuthMode), ("PrimaryKey", row.PrimaryKey), ("SecondaryKey", row.SecondaryKey), ("Traffic", row.Traffic), ("Details", row.Details),
            ("UpdatedAt", row.UpdatedAt), ("Name", row.Name), ("Version", row.Version));
        return updated > 0 ? WriteOutcome.Written : await EndpointMissingOrMovedAsync(connection, transaction, endpoint.Name, cancellationToken);
    }

    private static async Task<WriteOutcome> EndpointMissingOrMovedAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken) =>
        await connection.ScalarAsync<long>(
            "SELECT COUNT(*) FROM endpoints WHERE name = @name", transaction, cancellationToken, ("name", name)) > 0
            ? WriteOutcome.Conflict
            : WriteOutcome.NotFound;

    public Task<bool> DeleteEndpointAsync(string name, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                "DELETE FROM deployments WHERE endpoint_name = @name", transaction, cancellationToken, ("name", name));
            await connection.ExecuteAsync(
                "DELETE FROM tls_bindings WHERE scope = @name", transaction, cancellationToken, ("name", name));
            await connection.ExecuteAsync(
                "DELETE FROM managed_certificates WHERE scope = @name", transaction, cancellationToken, ("name", name));
            return await connection.ExecuteAsync(
                "DELETE FROM endpoints WHERE name = @name", transaction, cancellationToken, ("name", name)) > 0;
        }, cancellationToken);

    public async Task<IReadOnlyList<DeploymentRecord>> ListDeploymentsAsync(string? endpointName, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            $"{SelectDeployments} " +
            "WHERE @endpointName IS NULL OR endpoint_name = @endpointName ORDER BY endpoint_name, name",
            DeploymentRow.Read, null, cancellationToken, ("endpointName", endpointName));
        return [.. rows.Select(ToRecord)];
    }

    public async Task<DeploymentRecord?> FindDeploymentAsync(string endpointName, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync(
            $"{SelectDeployments} WHERE endpoint_name = @endpointName AND name = @name",
            DeploymentRow.Read, null, cancellationToken, ("endpointName", endpointName), ("name", name));
        return row is null ? null : ToRecord(row);
    }

    public Task<WriteOutcome> InsertDeploymentAsync(DeploymentRecord deployment, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            ArgumentNullException.ThrowIfNull(deployment);
            // Holds the endpoint's row to commit (a write lock on PostgreSQL; SQLite has one writer),
            // so an endpoint deleted meanwhile cannot be left with an orphan deployment.
            var endpointExists = await connection.ExecuteAsync(
                "UPDATE endpoints SET version = version WHERE name = @EndpointName", transaction, cancellationToken, ("EndpointName", deployment.EndpointName));
            if (endpointExists == 0)
            {
                return WriteOutcome.NotFound;
            }

            var exists = await connection.ScalarAsync<long>(
                "SELECT COUNT(*) FROM deployments WHERE endpoint_name = @EndpointName AND name = @Name",
                transaction, cancellationToken, ("EndpointName", deployment.EndpointName), ("Name", deployment.Name));
            if (exists > 0)
            {
                return WriteOutcome.Conflict;
            }

            var row = ToRow(deployment);
            await connection.ExecuteAsync(
                "INSERT INTO deployments (endpoint_name, name, urls, request_settings, details, created_at, updated_at, version) VALUES (@EndpointName, @Name, @Urls, @RequestSettings, @Details, @CreatedAt, @UpdatedAt, 1)",
                transaction, cancellationToken,
                ("EndpointName", row.EndpointName), ("Name", row.Name), ("Urls", row.Urls), ("RequestSettings", row.RequestSettings), ("Details", row.Details),
                ("CreatedAt", row.CreatedAt), ("UpdatedAt", row.UpdatedAt));
            return WriteOutcome.Written;
        }, cancellationToken);

    public Task<WriteOutcome> UpdateDeploymentAsync(DeploymentRecord deployment, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            ArgumentNullException.ThrowIfNull(deployment);
            var row = ToRow(deployment);
            var updated = await connection.ExecuteAsync(
                "UPDATE deployments SET urls = @Urls, request_settings = @RequestSettings, details = @Details, updated_at = @UpdatedAt, version = version + 1 " +
                "WHERE endpoint_name = @EndpointName AND name = @Name AND version = @Version",
                transaction, cancellationToken,
                ("Urls", row.Urls), ("RequestSettings", row.RequestSettings), ("Details", row.Details), ("UpdatedAt", row.UpdatedAt),
                ("EndpointName", row.EndpointName), ("Name", row.Name), ("Version", row.Version));
            if (updated > 0)
            {
                return WriteOutcome.Written;
            }

            return await connection.ScalarAsync<long>(
                "SELECT COUNT(*) FROM deployments WHERE endpoint_name = @EndpointName AND name = @Name",
                transaction, cancellationToken, ("EndpointName", deployment.EndpointName), ("Name", deployment.Name)) > 0
                ? WriteOutcome.Conflict
                : WriteOutcome.NotFound;
        }, cancellationToken);

    public Task<WriteOutcome> DeleteDeploymentAsync(EndpointRecord endpoint, string name, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            ArgumentNullException.ThrowIfNull(endpoint);
            // The endpoint first: its traffic and mirror were checked against the deployments as read,
            // and this write fails if either changed since, so no traffic can be left on a deleted deployment.
            if (await UpdateEndpointUnsynchronizedAsync(connection, transaction, endpoint, cancellationToken) is not WriteOutcome.Written and var outcome)
            {
                return outcome;
            }

            var deleted = await connection.ExecuteAsync(
                "DELETE FROM deployments WHERE endpoint_name = @endpointName AND name = @name",
                transaction, cancellationToken, ("endpointName", endpoint.Name), ("name", name));
            return deleted > 0 ? WriteOutcome.Written : WriteOutcome.NotFound;
        }, cancellationToken);

    public async Task<IReadOnlyList<TlsBindingRecord>> ListTlsBindingsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync($"{SelectTlsBindings} ORDER BY scope", TlsBindingRow.Read, null, cancellationToken);
        return [.. rows.Select(ToRecord)];
    }

    public async Task<TlsBindingRecord?> FindTlsBindingAsync(string scope, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync($"{SelectTlsBindings} WHERE scope = @scope", TlsBindingRow.Read, null, cancellationToken, ("scope", scope));
        return row is null ? null : ToRecord(row);
    }

    public Task SaveTlsBindingAsync(TlsBindingRecord binding, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            ArgumentNullException.ThrowIfNull(binding);
            var row = ToRow(binding);
            await connection.ExecuteAsync(
                "INSERT INTO tls_bindings (scope, host_name, kind, certificate_path, key_path, passphrase_path, secret_name, certificate_pem, key_pem, passphrase, created_at, updated_at, " +
                "client_ca_path, client_crl_path, client_certificate_mode) " +
                "VALUES (@Scope, @HostName, @Kind, @CertificatePath, @KeyPath, @PassphrasePath, @SecretName, @CertificatePem, @KeyPem, @Passphrase, @CreatedAt, @UpdatedAt, " +
                "@ClientCaPath, @ClientCrlPath, @ClientCertificateMode) " +
                "ON CONFLICT (scope) DO UPDATE SET host_name = excluded.host_name, kind = excluded.kind, certificate_path = excluded.certificate_path, key_path = excluded.key_path, " +
                "passphrase_path = excluded.passphrase_path, secret_name = excluded.secret_name, certificate_pem = excluded.certificate_pem, key_pem = excluded.key_pem, " +
                "passphrase = excluded.passphrase, updated_at = excluded.updated_at, client_ca_path = excluded.client_ca_path, client_crl_path = excluded.client_crl_path, " +
                "client_certificate_mode = excluded.client_certificate_mode",
                transaction, cancellationToken,
                ("Scope", row.Scope), ("HostName", row.HostName), ("Kind", row.Kind), ("CertificatePath", row.CertificatePath), ("KeyPath", row.KeyPath),
                ("PassphrasePath", row.PassphrasePath), ("SecretName", row.SecretName), ("CertificatePem", row.CertificatePem), ("KeyPem", row.KeyPem),
                ("Passphrase", row.Passphrase), ("CreatedAt", row.CreatedAt), ("UpdatedAt", row.UpdatedAt),
                ("ClientCaPath", binding.ClientCaPath), ("ClientCrlPath", binding.ClientCrlPath), ("ClientCertificateMode", binding.ClientCertificateMode));
            if (binding.Kind != TlsSourceKind.Managed)
            {
                // A managed certificate the new source replaces is no longer renewed.
                await connection.ExecuteAsync(
                    "DELETE FROM managed_certificates WHERE scope = @Scope", transaction, cancellationToken, ("Scope", binding.Scope));
            }

            return true;
        }, cancellationToken);

    public Task<bool> DeleteTlsBindingAsync(string scope, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                "DELETE FROM managed_certificates WHERE scope = @scope", transaction, cancellationToken, ("scope", scope));
            return await connection.ExecuteAsync(
                "DELETE FROM tls_bindings WHERE scope = @scope", transaction, cancellationToken, ("scope", scope)) > 0;
        }, cancellationToken);

    // Versions are BIGINT columns: 64-bit on both engines, so rows map to the same types.
    private const string SelectEndpoints =
        "SELECT name, auth_mode AS authMode, primary_key AS primaryKey, secondary_key AS secondaryKey, traffic, details, created_at AS createdAt, updated_at AS updatedAt, " +
        "version, incarnation FROM endpoints";

    private const string SelectDeployments =
        "SELECT endpoint_name AS endpointName, name, urls, request_settings AS requestSettings, details, created_at AS createdAt, updated_at AS updatedAt, " +
        "version FROM deployments";

    private const string SelectTlsBindings =
        "SELECT scope, host_name AS hostName, kind, certificate_path AS certificatePath, key_path AS keyPath, passphrase_path AS passphrasePath, secret_name AS secretName, " +
        "certificate_pem AS certificatePem, key_pem AS keyPem, passphrase, created_at AS createdAt, updated_at AS updatedAt, " +
        "client_ca_path AS clientCaPath, client_crl_path AS clientCrlPath, client_certificate_mode AS clientCertificateMode FROM tls_bindings";

    private static string TlsPurpose(string scope, string which) => $"tls/{(scope.Length == 0 ? "ROUTER" : scope.ToUpperInvariant())}/{which}";

    private TlsBindingRow ToRow(TlsBindingRecord binding) => new(
        binding.Scope,
        binding.HostName,
        binding.Kind.ToString(),
        binding.CertificatePath,
        binding.KeyPath,
        binding.PassphrasePath,
        binding.SecretName,
        binding.CertificatePem,
        binding.KeyPem is null ? null : _secrets.Protect(binding.KeyPem, TlsPurpose(binding.Scope, "key")),
        binding.Passphrase is null ? null : _secrets.Protect(binding.Passphrase, TlsPurpose(binding.Scope, "passphrase")),
        binding.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        binding.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));

    private TlsBindingRecord ToRecord(TlsBindingRow row) => new(
        row.Scope,
        row.HostName,
        Enum.Parse<TlsSourceKind>(row.Kind, ignoreCase: true),
        row.CertificatePath,
        row.KeyPath,
        row.PassphrasePath,
        row.SecretName,
        row.CertificatePem,
        row.KeyPem is null ? null : _secrets.Unprotect(row.KeyPem, TlsPurpose(row.Scope, "key")),
        row.Passphrase is null ? null : _secrets.Unprotect(row.Passphrase, TlsPurpose(row.Scope, "passphrase")),
        DateTimeOffset.Parse(row.CreatedAt, CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(row.UpdatedAt, CultureInfo.InvariantCulture),
        row.ClientCaPath,
        row.ClientCrlPath,
        row.ClientCertificateMode);

    /// <summary>
    /// Runs one write in a transaction and, when it changed something, bumps the revision with it
    /// (and on PostgreSQL announces it to the other routers, delivered at commit).
    /// </summary>
    private Task<bool> WriteAsync(Func<DbConnection, DbTransaction, Task<bool>> write, CancellationToken cancellationToken) =>
        WriteAsync(write, changed => changed, cancellationToken);

    private Task<WriteOutcome> WriteAsync(Func<DbConnection, DbTransaction, Task<WriteOutcome>> write, CancellationToken cancellationToken) =>
        WriteAsync(write, outcome => outcome == WriteOutcome.Written, cancellationToken);

    /// <summary>
    /// Runs one use case's writes in one transaction and, when they changed something, bumps the
    /// revision with them (on PostgreSQL also announced to the other routers, delivered at commit).
    /// A write that changed nothing is rolled back whole.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write, Func<T, bool> changed, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await write(connection, transaction);
        if (!changed(result))
        {
            await transaction.RollbackAsync(cancellationToken);
            return result;
        }

        await connection.ExecuteAsync(_engine.BumpRevisionSql, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task CheckIntegrityAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        if (await _engine.CheckIntegrityAsync(connection, cancellationToken) is { } problem)
        {
            throw new StoreException($"The store ({_engine.Description}) is damaged: {problem}");
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        // Serializes routers migrating one store at once: the second finds the work done.
        await using var migrating = await _engine.BeginMigrationAsync(connection, cancellationToken);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)", null, cancellationToken);
        var applied = (await connection.QueryAsync("SELECT version FROM schema_migrations", reader => reader.Int64("version"), null, cancellationToken)).ToHashSet();
        foreach (var migration in StoreMigrations.All.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(migration.Sql, transaction, cancellationToken);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @appliedAt)",
                transaction, cancellationToken,
                ("Version", migration.Version), ("Name", migration.Name), ("appliedAt", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _engine.OpenAsync(cancellationToken);

    private static string KeyPurpose(string endpointName, string which) => $"endpoint/{endpointName.ToUpperInvariant()}/{which}";

    private EndpointRow ToRow(EndpointRecord endpoint) => new(
        endpoint.Name,
        endpoint.AuthMode.ToString(),
        _secrets.Protect(endpoint.PrimaryKey, KeyPurpose(endpoint.Name, "primary")),
        _secrets.Protect(endpoint.SecondaryKey, KeyPurpose(endpoint.Name, "secondary")),
        JsonSerializer.Serialize(endpoint.Traffic, StoreJson.Default.IReadOnlyDictionaryStringInt32),
        JsonSerializer.Serialize(endpoint.Details, StoreJson.Default.EndpointDetails),
        endpoint.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        endpoint.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
        endpoint.Version,
        endpoint.Incarnation);

    private EndpointRecord ToRecord(EndpointRow row) => new(
        row.Name,
        Enum.Parse<EndpointAuthMode>(row.AuthMode, ignoreCase: true),
        _secrets.Unprotect(row.PrimaryKey, KeyPurpose(row.Name, "primary")),
        _secrets.Unprotect(row.SecondaryKey, KeyPurpose(row.Name, "secondary")),
        JsonSerializer.Deserialize(row.Traffic, StoreJson.Default.DictionaryStringInt32) ?? [],
        DateTimeOffset.Parse(row.CreatedAt, CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(row.UpdatedAt, CultureInfo.InvariantCulture))
    {
        Details = ReadDetails(row.Details, EndpointDetails.Empty, StoreJson.Default.EndpointDetails),
        Version = row.Version,
        Incarnation = row.Incarnation,
    };

    private static DeploymentRow ToRow(DeploymentRecord deployment) => new(
        deployment.EndpointName,
        deployment.Name,
        JsonSerializer.Serialize(deployment.Urls, StoreJson.Default.IReadOnlyListString),
        JsonSerializer.Serialize(deployment.RequestSettings, StoreJson.Default.RequestSettings),
        JsonSerializer.Serialize(deployment.Details, StoreJson.Default.DeploymentDetails),
        deployment.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        deployment.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
        deployment.Version);

    private static DeploymentRecord ToRecord(DeploymentRow row) => new(
        row.EndpointName,
        row.Name,
        JsonSerializer.Deserialize(row.Urls, StoreJson.Default.ListString) ?? [],
        JsonSerializer.Deserialize(row.RequestSettings, StoreJson.Default.RequestSettings) ?? RequestSettings.Default,
        DateTimeOffset.Parse(row.CreatedAt, CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(row.UpdatedAt, CultureInfo.InvariantCulture))
    {
        Details = ReadDetails(row.Details, DeploymentDetails.Empty, StoreJson.Default.DeploymentDetails),
        Version = row.Version,
    };

    /// <summary>Rows written before schema 5 hold '{}': the defaults.</summary>
    private static T ReadDetails<T>(string json, T empty, JsonTypeInfo<T> type)
        where T : class =>
        json == "{}" ? empty : JsonSerializer.Deserialize(json, type) ?? empty;

    /// <summary>Columns by the names <see cref="SelectEndpoints"/> gives them.</summary>
    internal sealed record EndpointRow(
        string Name, string AuthMode, string PrimaryKey, string SecondaryKey, string Traffic, string Details, string CreatedAt, string UpdatedAt, long Version, string Incarnation)
    {
        public static EndpointRow Read(DbDataReader reader) => new(
            reader.Text("name"), reader.Text("authMode"), reader.Text("primaryKey"), reader.Text("secondaryKey"), reader.Text("traffic"), reader.Text("details"),
            reader.Text("createdAt"), reader.Text("updatedAt"), reader.Int64("version"), reader.Text("incarnation"));

        public override string ToString() => $"EndpointRow({Name})";
    }

    internal sealed record TlsBindingRow(
        string Scope, string? HostName, string Kind, string? CertificatePath, string? KeyPath, string? PassphrasePath, string? SecretName,
        string? CertificatePem, string? KeyPem, string? Passphrase, string CreatedAt, string UpdatedAt,
        string? ClientCaPath = null, string? ClientCrlPath = null, string? ClientCertificateMode = null)
    {
        public static TlsBindingRow Read(DbDataReader reader) => new(
            reader.Text("scope"), reader.NullableText("hostName"), reader.Text("kind"), reader.NullableText("certificatePath"), reader.NullableText("keyPath"),
            reader.NullableText("passphrasePath"), reader.NullableText("secretName"), reader.NullableText("certificatePem"), reader.NullableText("keyPem"),
            reader.NullableText("passphrase"), reader.Text("createdAt"), reader.Text("updatedAt"),
            reader.NullableText("clientCaPath"), reader.NullableText("clientCrlPath"), reader.NullableText("clientCertificateMode"));

        public override string ToString() => $"TlsBindingRow({Scope})";
    }

    internal sealed record DeploymentRow(string EndpointName, string Name, string Urls, string RequestSettings, string Details, string CreatedAt, string UpdatedAt, long Version)
    {
        public static DeploymentRow Read(DbDataReader reader) => new(
            reader.Text("endpointName"), reader.Text("name"), reader.Text("urls"), reader.Text("requestSettings"), reader.Text("details"),
            reader.Text("createdAt"), reader.Text("updatedAt"), reader.Int64("version"));
    }
}
