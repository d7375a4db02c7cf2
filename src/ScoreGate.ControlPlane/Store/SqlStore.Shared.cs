using System.Globalization;
using System.Security.Cryptography;

namespace ScoreGate.ControlPlane.Store;

/// <summary>What routers sharing a store coordinate through (schema version 6): locks, challenge answers, the master key.</summary>
public sealed partial class SqlStore
{
    private const string MasterKeyCheckPurpose = "master-key-check";

    public Task<IAsyncDisposable?> TryLockAsync(string name, CancellationToken cancellationToken = default) => _engine.TryLockAsync(name, cancellationToken);

    /// <summary>Answers are not configuration: saving one does not change the revision routers serve.</summary>
    public async Task SaveChallengeAnswerAsync(string type, string name, string answer, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO acme_challenges (type, name, answer, created_at) VALUES (@type, @name, @answer, @createdAt) " +
            "ON CONFLICT (type, name) DO UPDATE SET answer = excluded.answer, created_at = excluded.created_at",
            null, cancellationToken, ("type", type), ("name", name), ("answer", answer), ("createdAt", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
    }

    public async Task DeleteChallengeAnswerAsync(string type, string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "DELETE FROM acme_challenges WHERE type = @type AND name = @name", null, cancellationToken, ("type", type), ("name", name));
    }

    public async Task<string?> FindChallengeAnswerAsync(string type, string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync(
            "SELECT answer FROM acme_challenges WHERE type = @type AND name = @name", reader => reader.NullableText("answer"), null, cancellationToken, ("type", type), ("name", name));
    }

    public async Task<IReadOnlyDictionary<string, string>> ListChallengeAnswersAsync(string type, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            "SELECT name, answer FROM acme_challenges WHERE type = @type", reader => (Name: reader.Text("name"), Answer: reader.Text("answer")), null, cancellationToken, ("type", type));
        return rows.ToDictionary(r => r.Name, r => r.Answer, StringComparer.Ordinal);
    }

    /// <summary>
    /// The first router to open a store leaves a value encrypted with its master key; every later
    /// one must decrypt it. A router with another key would otherwise fail on each secret it reads.
    /// </summary>
    private async Task CheckMasterKeyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO master_key_check (id, value) VALUES (1, @value) ON CONFLICT (id) DO NOTHING",
            null, cancellationToken, ("value", _secrets.Protect(MasterKeyCheckPurpose, MasterKeyCheckPurpose)));
        var stored = await connection.QuerySingleAsync("SELECT value FROM master_key_check WHERE id = 1", reader => reader.Text("value"), null, cancellationToken);
        try
        {
            _secrets.Unprotect(stored, MasterKeyCheckPurpose);
        }
        catch (CryptographicException)
        {
            throw new StoreException(
                $"The store ({Description}) holds secrets encrypted with another master key than this router's. " +
                "Every router sharing a store needs the same key: point masterKeyFile at the same 32-byte key file on each.");
        }
    }
}
