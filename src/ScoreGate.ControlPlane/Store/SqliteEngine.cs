using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using ScoreGate.Certificates.Files;

namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// One SQLite file (mode 0600), used by one router. SQLite serializes writers itself, and the
/// locks only need to hold within this process (for every store opened on the file).
/// </summary>
internal sealed class SqliteEngine : StoreEngine
{
    private readonly string _connectionString;
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);
    private readonly string _path;

    private SqliteEngine(string path, string connectionString)
    {
        Description = $"SQLite {path}";
        _path = path;
        _connectionString = connectionString;
    }

    public override string Description { get; }

    public override string BumpRevisionSql => "UPDATE revision SET value = value + 1 WHERE id = 1";

    public static SqliteEngine Create(string path)
    {
        if (!File.Exists(path))
        {
            // SQLite gives its journal the database file's mode, so creating it private keeps both private.
            PrivateFile.WriteAllBytes(path, []);
        }

        return new SqliteEngine(path, new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString());
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public override async Task<string?> CheckIntegrityAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // quick_check reads every page (O(size), milliseconds for a store this size) but skips the
        // index-content cross-checks of integrity_check. It answers "ok", or one line per problem.
        var problems = await connection.QueryAsync("PRAGMA quick_check(3)", reader => reader.GetString(0), null, cancellationToken);
        var found = problems.Where(p => p != "ok").ToList();
        return found.Count == 0 ? null : $"{string.Join("; ", found)}. {DamagedAdvice}";
    }

    // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26): the file is damaged, or not a database at all.
    public override string? AdviceFor(DbException error) => error is SqliteException { SqliteErrorCode: 11 or 26 } ? DamagedAdvice : null;

    private string DamagedAdvice =>
        $"Restore {_path} from a backup (with the same master.key), or move it aside to start with an empty store, where endpoints, keys and certificates must be created again.";

    public override Task<IAsyncDisposable> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public override Task<IAsyncDisposable?> TryLockAsync(string name, CancellationToken cancellationToken)
    {
        var gate = Locks.GetOrAdd($"{_path}\n{name}", _ => new SemaphoreSlim(1, 1));
        return Task.FromResult<IAsyncDisposable?>(gate.Wait(0, CancellationToken.None) ? new Release(gate) : null);
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; a disposed store lets it go.
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        return ValueTask.CompletedTask;
    }

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            gate.Release();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
