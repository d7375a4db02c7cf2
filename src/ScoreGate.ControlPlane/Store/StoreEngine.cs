using System.Data.Common;

namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// What <see cref="SqlStore"/> cannot say in portable SQL: how to connect, how a write announces
/// itself, how migrations and renewals are serialized between routers, and what the store is
/// called in reports.
/// </summary>
internal abstract class StoreEngine : IAsyncDisposable
{
    /// <summary>Where the store is, without secrets (no password ever appears here).</summary>
    public abstract string Description { get; }

    /// <summary>Bumps the single revision row; runs inside the write's transaction.</summary>
    public abstract string BumpRevisionSql { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Holds off other routers migrating the same store until the result is disposed.</summary>
    public abstract Task<IAsyncDisposable> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Finds damage that would otherwise surface later, one query at a time, as a crash: null when
    /// the store is sound, else what is wrong and what to do. PostgreSQL guards its own pages;
    /// SQLite checks its file.
    /// </summary>
    public virtual Task<string?> CheckIntegrityAsync(DbConnection connection, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>What to do about <paramref name="error"/>, when the engine knows (a damaged file); else null.</summary>
    public virtual string? AdviceFor(DbException error) => null;

    /// <summary>A lock named <paramref name="name"/> that every router on this store respects, or null when another holds it.</summary>
    public abstract Task<IAsyncDisposable?> TryLockAsync(string name, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
