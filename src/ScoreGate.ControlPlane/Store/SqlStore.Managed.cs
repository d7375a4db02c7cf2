using System.Data.Common;
using System.Globalization;

namespace ScoreGate.ControlPlane.Store;

/// <summary>Managed certificates and ACME accounts (schema version 3).</summary>
public sealed partial class SqlStore
{
    private const string SelectManaged =
        "SELECT scope, label, host_name AS hostName, challenge, certificate_pem AS certificatePem, key_pem AS keyPem, serial_number AS serialNumber, " +
        "not_before AS notBefore, not_after AS notAfter, issued_by AS issuedBy, next_attempt_at AS nextAttemptAt, renew_requested AS renewRequested, " +
        "attempts, last_error AS lastError, last_attempt_at AS lastAttemptAt, created_at AS createdAt, updated_at AS updatedAt FROM managed_certificates";

    public async Task<IReadOnlyList<ManagedCertificateRecord>> ListManagedCertificatesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync($"{SelectManaged} ORDER BY scope", ManagedRow.Read, null, cancellationToken);
        return [.. rows.Select(ToRecord)];
    }

    public async Task<ManagedCertificateRecord?> FindManagedCertificateAsync(string scope, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync($"{SelectManaged} WHERE scope = @scope", ManagedRow.Read, null, cancellationToken, ("scope", scope));
        return row is null ? null : ToRecord(row);
    }

    public Task SaveManagedCertificateAsync(ManagedCertificateRecord record, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
        {
            ArgumentNullException.ThrowIfNull(record);
            var row = ToRow(record);
            await connection.ExecuteAsync(
                "INSERT INTO managed_certificates (scope, label, host_name, challenge, certificate_pem, key_pem, serial_number, not_before, not_after, issued_by, " +
                "next_attempt_at, renew_requested, attempts, last_error, last_attempt_at, created_at, updated_at) VALUES (@Scope, @Label, @HostName, @Challenge, @CertificatePem, " +
                "@KeyPem, @SerialNumber, @NotBefore, @NotAfter, @IssuedBy, @NextAttemptAt, @RenewRequested, @Attempts, @LastError, @LastAttemptAt, @CreatedAt, @UpdatedAt) " +
                "ON CONFLICT (scope) DO UPDATE SET label = excluded.label, host_name = excluded.host_name, challenge = excluded.challenge, certificate_pem = excluded.certificate_pem, " +
                "key_pem = excluded.key_pem, serial_number = excluded.serial_number, not_before = excluded.not_before, not_after = excluded.not_after, issued_by = excluded.issued_by, " +
                "next_attempt_at = excluded.next_attempt_at, renew_requested = excluded.renew_requested, attempts = excluded.attempts, last_error = excluded.last_error, " +
                "last_attempt_at = excluded.last_attempt_at, created_at = excluded.created_at, updated_at = excluded.updated_at",
                transaction, cancellationToken,
                ("Scope", row.Scope), ("Label", row.Label), ("HostName", row.HostName), ("Challenge", row.Challenge), ("CertificatePem", row.CertificatePem),
                ("KeyPem", row.KeyPem), ("SerialNumber", row.SerialNumber), ("NotBefore", row.NotBefore), ("NotAfter", row.NotAfter), ("IssuedBy", row.IssuedBy),
                ("NextAttemptAt", row.NextAttemptAt), ("RenewRequested", row.RenewRequested), ("Attempts", row.Attempts), ("LastError", row.LastError),
                ("LastAttemptAt", row.LastAttemptAt), ("CreatedAt", row.CreatedAt), ("UpdatedAt", row.UpdatedAt));
            return true;
        }, cancellationToken);

    /// <summary>
    /// Bookkeeping, not configuration: one statement outside <see cref="WriteAsync"/>, so neither
    /// the revision nor, on PostgreSQL, the other routers hear of it.
    /// </summary>
    public async Task<bool> SaveManagedRenewalStateAsync(ManagedCertificateRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE managed_certificates SET next_attempt_at = @NextAttemptAt, renew_requested = @RenewRequested, attempts = @Attempts, last_error = @LastError, " +
            "last_attempt_at = @LastAttemptAt, updated_at = @UpdatedAt WHERE scope = @Scope",
            null, cancellationToken,
            ("Scope", record.Scope),
            ("NextAttemptAt", Format(record.NextAttemptAt)),
            ("RenewRequested", record.RenewRequested ? 1 : 0),
            ("Attempts", record.Attempts),
            ("LastError", record.LastError),
            ("LastAttemptAt", Format(record.LastAttemptAt)),
            ("UpdatedAt", Format(record.UpdatedAt))) > 0;
    }

    public Task<bool> DeleteManagedCertificateAsync(string scope, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(
                "DELETE FROM managed_certificates WHERE scope = @scope", transaction, cancellationToken, ("scope", scope)) > 0,
            cancellationToken);

    public async Task<AcmeAccountRecord?> FindAcmeAccountAsync(string directory, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync(
            "SELECT directory, key_pem AS keyPem, account_url AS accountUrl, created_at AS createdAt FROM acme_accounts WHERE directory = @directory",
            AcmeAccountRow.Read, null, cancellationToken, ("directory", directory));
        return row is null ? null : new AcmeAccountRecord(row.Directory, _secrets.Unprotect(row.KeyPem, AccountPurpose(row.Directory)), row.AccountUrl, Parse(row.CreatedAt)!.Value);
    }

    /// <summary>Account keys are not configuration: saving one does not change the revision routers serve.</summary>
    public async Task SaveAcmeAccountAsync(AcmeAccountRecord account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO acme_accounts (directory, key_pem, account_url, created_at) VALUES (@Directory, @KeyPem, @AccountUrl, @CreatedAt) " +
            "ON CONFLICT (directory) DO UPDATE SET key_pem = excluded.key_pem, account_url = excluded.account_url, created_at = excluded.created_at",
            null, cancellationToken,
            ("Directory", account.Directory), ("KeyPem", _secrets.Protect(account.KeyPem, AccountPurpose(account.Directory))), ("AccountUrl", account.AccountUrl),
            ("CreatedAt", Format(account.CreatedAt)!));
    }

    private static string AccountPurpose(string directory) => $"acme-account/{directory}";

    private static string ManagedPurpose(string scope) => $"managed/{(scope.Length == 0 ? "ROUTER" : scope.ToUpperInvariant())}/key";

    private static string? Format(DateTimeOffset? value) => value?.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Parse(string? value) => value is null ? null : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    private ManagedRow ToRow(ManagedCertificateRecord record) => new()
    {
        Scope = record.Scope,
        Label = record.Label,
        HostName = record.HostName,
        Challenge = record.Challenge,
        CertificatePem = record.CertificatePem,
        KeyPem = record.KeyPem is null ? null : _secrets.Protect(record.KeyPem, ManagedPurpose(record.Scope)),
        SerialNumber = record.SerialNumber,
        NotBefore = Format(record.NotBefore),
        NotAfter = Format(record.NotAfter),
        IssuedBy = record.IssuedBy,
        NextAttemptAt = Format(record.NextAttemptAt),
        RenewRequested = record.RenewRequested ? 1 : 0,
        Attempts = record.Attempts,
        LastError = record.LastError,
        LastAttemptAt = Format(record.LastAttemptAt),
        CreatedAt = Format(record.CreatedAt)!,
        UpdatedAt = Format(record.UpdatedAt)!,
    };

    private ManagedCertificateRecord ToRecord(ManagedRow row) => new(row.Scope, row.Label, row.HostName, row.Challenge, Parse(row.CreatedAt)!.Value, Parse(row.UpdatedAt)!.Value)
    {
        CertificatePem = row.CertificatePem,
        KeyPem = row.KeyPem is null ? null : _secrets.Unprotect(row.KeyPem, ManagedPurpose(row.Scope)),
        SerialNumber = row.SerialNumber,
        NotBefore = Parse(row.NotBefore),
        NotAfter = Parse(row.NotAfter),
        IssuedBy = row.IssuedBy,
        NextAttemptAt = Parse(row.NextAttemptAt),
        RenewRequested = row.RenewRequested != 0,
        Attempts = (int)row.Attempts,
        LastError = row.LastError,
        LastAttemptAt = Parse(row.LastAttemptAt),
    };

    /// <remarks>
    /// INTEGER columns are read as long whatever the engine: a long in SQLite, an int in PostgreSQL.
    /// </remarks>
    internal sealed class ManagedRow
    {
        public static ManagedRow Read(DbDataReader reader) => new()
        {
            Scope = reader.Text("scope"),
            Label = reader.Text("label"),
            HostName = reader.Text("hostName"),
            Challenge = reader.Text("challenge"),
            CertificatePem = reader.NullableText("certificatePem"),
            KeyPem = reader.NullableText("keyPem"),
            SerialNumber = reader.NullableText("serialNumber"),
            NotBefore = reader.NullableText("notBefore"),
            NotAfter = reader.NullableText("notAfter"),
            IssuedBy = reader.NullableText("issuedBy"),
            NextAttemptAt = reader.NullableText("nextAttemptAt"),
            RenewRequested = reader.Int64("renewRequested"),
            Attempts = reader.Int64("attempts"),
            LastError = reader.NullableText("lastError"),
            LastAttemptAt = reader.NullableText("lastAttemptAt"),
            CreatedAt = reader.Text("createdAt"),
            UpdatedAt = reader.Text("updatedAt"),
        };

        public string Scope { get; set; } = string.Empty;

        public string Label { get; set; } = string.Empty;

        public string HostName { get; set; } = string.Empty;

        public string Challenge { get; set; } = string.Empty;

        public string? CertificatePem { get; set; }

        public string? KeyPem { get; set; }

        public string? SerialNumber { get; set; }

        public string? NotBefore { get; set; }

        public string? NotAfter { get; set; }

        public string? IssuedBy { get; set; }

        public string? NextAttemptAt { get; set; }

        public long RenewRequested { get; set; }

        public long Attempts { get; set; }

        public string? LastError { get; set; }

        public string? LastAttemptAt { get; set; }

        public string CreatedAt { get; set; } = string.Empty;

        public string UpdatedAt { get; set; } = string.Empty;

        public override string ToString() => $"ManagedRow({Scope})";
    }

    internal sealed record AcmeAccountRow(string Directory, string KeyPem, string? AccountUrl, string CreatedAt)
    {
        public static AcmeAccountRow Read(DbDataReader reader) =>
            new(reader.Text("directory"), reader.Text("keyPem"), reader.NullableText("accountUrl"), reader.Text("createdAt"));

        public override string ToString() => $"AcmeAccountRow({Directory})";
    }
}
