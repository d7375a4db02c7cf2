using System.Data.Common;

namespace ScoreGate.ControlPlane.Store;

/// <summary>Token signing keys (schema version 4).</summary>
public sealed partial class SqlStore
{
    public async Task<IReadOnlyList<TokenSigningKeyRecord>> ListTokenSigningKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            "SELECT id, key_pem AS keyPem, created_at AS createdAt FROM token_signing_keys ORDER BY created_at, id", TokenKeyRow.Read, null, cancellationToken);
        return [.. rows.Select(r => new TokenSigningKeyRecord(r.Id, _secrets.Unprotect(r.KeyPem, TokenKeyPurpose(r.Id)), Parse(r.CreatedAt)!.Value))];
    }

    public Task InsertTokenSigningKeyAsync(TokenSigningKeyRecord key, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            ArgumentNullException.ThrowIfNull(key);
            await connection.ExecuteAsync(
                "INSERT INTO token_signing_keys (id, key_pem, created_at) VALUES (@Id, @KeyPem, @CreatedAt)",
                transaction, cancellationToken, ("Id", key.Id), ("KeyPem", _secrets.Protect(key.KeyPem, TokenKeyPurpose(key.Id))), ("CreatedAt", Format(key.CreatedAt)!));
            return true;
        }, cancellationToken);

    public Task DeleteTokenSigningKeysAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            ArgumentNullException.ThrowIfNull(ids);
            // One statement per id: a list parameter would be spelled differently for each engine.
            var removed = 0;
            foreach (var id in ids)
            {
                removed += await connection.ExecuteAsync(
                    "DELETE FROM token_signing_keys WHERE id = @id", transaction, cancellationToken, ("id", id));
            }

            return removed > 0;
        }, cancellationToken);

    private static string TokenKeyPurpose(string id) => $"token-signing-key/{id}";

    internal sealed record TokenKeyRow(string Id, string KeyPem, string CreatedAt)
    {
        public static TokenKeyRow Read(DbDataReader reader) => new(reader.Text("id"), reader.Text("keyPem"), reader.Text("createdAt"));
    }
}
