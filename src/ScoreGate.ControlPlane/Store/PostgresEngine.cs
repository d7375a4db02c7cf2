using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// PostgreSQL shared by several routers (DESIGN.md section 7): every write announces its
/// revision on <see cref="Channel"/>, and migrations and renewals are serialized with advisory
/// locks, which the server releases by itself if a router dies holding one.
/// </summary>
internal sealed class PostgresEngine : StoreEngine
{
    /// <summary>The LISTEN/NOTIFY channel; the payload is the new revision.</summary>
    public const string Channel = "scoregate_changes";

    private readonly NpgsqlDataSource _dataSource;

    private PostgresEngine(NpgsqlDataSource dataSource, string description)
    {
        _dataSource = dataSource;
        Description = description;
    }

    public override string Description { get; }

    public override string BumpRevisionSql =>
        $"WITH bumped AS (UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value) SELECT pg_notify('{Channel}', value::text) FROM bumped";

    /// <exception cref="StoreException">The connection string is not one Npgsql understands.</exception>
    public static PostgresEngine Create(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException error)
        {
            throw new StoreException($"The PostgreSQL connection string is not valid ({error.Message}). Write it as Host=db.example;Port=5432;Database=scoregate;Username=scoregate;Password=...", error);
        }

        // A router that cannot reach the store keeps serving; it should find out quickly, and
        // notice a silently dropped connection, rather than wait on the defaults (15 s, never).
        if (!builder.ContainsKey("Timeout"))
        {
            builder.Timeout = 5;
        }

        if (!builder.ContainsKey("Keepalive"))
        {
            builder.KeepAlive = 10;
        }

        var description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        return new PostgresEngine(NpgsqlDataSource.Create(builder), description);
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>A connection of its own that receives every router's change announcements.</summary>
    public async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync($"LISTEN {Channel}", null, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override async Task<IAsyncDisposable> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var key = LockKey("migrations");
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", null, cancellationToken, ("key", key));
        // Names compare case-insensitively, as in SQLite's NOCASE: the migrations say COLLATE NOCASE,
        // which PostgreSQL folds to this collation's name.
        await connection.ExecuteAsync(
            "CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)", null, cancellationToken);
        return new AdvisoryLock(connection, key, ownsConnection: false);
    }

    public override async Task<IAsyncDisposable?> TryLockAsync(string name, CancellationToken cancellationToken)
    {
        // Session locks belong to a connection: this one is held for as long as the lock is.
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var key = LockKey(name);
        try
        {
            if (await connection.ScalarAsync<bool>("SELECT pg_try_advisory_lock(@key)", null, cancellationToken, ("key", key)))
            {
                return new AdvisoryLock(connection, key, ownsConnection: true);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>Advisory locks are named by 64-bit numbers: this one is derived from the name.</summary>
    private static long LockKey(string name) => BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"scoregate:{name}")));

    private sealed class AdvisoryLock(DbConnection connection, long key, bool ownsConnection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", null, CancellationToken.None, ("key", key));
            }
            catch (DbException)
            {
                // The connection is gone, and the server released the lock with it.
            }

            if (ownsConnection)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
