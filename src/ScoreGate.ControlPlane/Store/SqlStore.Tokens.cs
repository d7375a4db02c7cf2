using Dapper;

namespace ScoreGate.ControlPlane.Store;

/// <summary>Token signing keys (schema version 4).</summary>
public sealed partial class SqlStore
{
    public async Task<IReadOnlyList<TokenSigningKeyRecord>> ListTokenSigningKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<TokenKeyRow>(new CommandDefinition(
            "SELECT id, key_pem AS keyPem, created_at AS createdAt FROM token_signing_keys ORDER BY created_at, id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => new TokenSigningKeyRecord(r.Id, _secrets.Unprotect(r.KeyPem, TokenKeyPurpose(r.Id)), Parse(r.CreatedAt)!.Value))];
    }

    public Task InsertTokenSigningKeyAsync(TokenSigningKeyRecord key, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            ArgumentNullException.ThrowIfNull(key);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO token_signing_keys (id, key_pem, created_at) VALUES (@Id, @KeyPem, @CreatedAt)",
                new TokenKeyRow(key.Id, _secrets.Protect(key.KeyPem, TokenKeyPurpose(key.Id)), Format(key.CreatedAt)!), transaction, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);

    public Task DeleteTokenSigningKeysAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            ArgumentNullException.ThrowIfNull(ids);
            // One statement per id: Dapper expands 'IN @ids' differently for each engine.
            var removed = 0;
            foreach (var id in ids)
            {
                removed += await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM token_signing_keys WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            }

            return removed > 0;
        }, cancellationToken);

    private static string TokenKeyPurpose(string id) => $"token-signing-key/{id}";

    internal sealed record TokenKeyRow(string Id, string KeyPem, string CreatedAt);
}
