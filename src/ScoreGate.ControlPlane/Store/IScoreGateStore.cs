using ScoreGate.Certificates.Acme;

namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// Where endpoints and deployments live. Contract:
/// <list type="bullet">
/// <item>Names compare case-insensitively; "not found" is a null or false result, never an exception.</item>
/// <item>Every write is atomic and increments <see cref="GetRevisionAsync"/> in the same transaction,
/// so a reader that sees a revision sees every change up to it.</item>
/// <item>Secrets are encrypted before they reach the storage engine.</item>
/// <item>Cancellation abandons the operation; a write is either committed whole or not at all.</item>
/// </list>
/// </summary>
public interface IScoreGateStore : IChallengeAnswerStore
{
    /// <summary>
    /// A lock every router sharing this store respects (issuing one certificate, rotating keys).
    /// Held until the result is disposed; released by the store if the router dies.
    /// </summary>
    /// <returns>Null when another holder has it.</returns>
    Task<IAsyncDisposable?> TryLockAsync(string name, CancellationToken cancellationToken = default);

    Task<long> GetRevisionAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<EndpointRecord>> ListEndpointsAsync(CancellationToken cancellationToken = default);

    Task<EndpointRecord?> FindEndpointAsync(string name, CancellationToken cancellationToken = default);

    /// <returns>False when an endpoint with that name already exists.</returns>
    Task<bool> InsertEndpointAsync(EndpointRecord endpoint, CancellationToken cancellationToken = default);

    Task UpdateEndpointAsync(EndpointRecord endpoint, CancellationToken cancellationToken = default);

    /// <summary>Deletes the endpoint, its deployments and its TLS binding.</summary>
    /// <returns>False when there was no such endpoint.</returns>
    Task<bool> DeleteEndpointAsync(string name, CancellationToken cancellationToken = default);

    /// <param name="endpointName">Only this endpoint's deployments, or all when null.</param>
    Task<IReadOnlyList<DeploymentRecord>> ListDeploymentsAsync(string? endpointName, CancellationToken cancellationToken = default);

    Task<DeploymentRecord?> FindDeploymentAsync(string endpointName, string name, CancellationToken cancellationToken = default);

    /// <returns>False when the endpoint already has a deployment with that name.</returns>
    Task<bool> InsertDeploymentAsync(DeploymentRecord deployment, CancellationToken cancellationToken = default);

    Task UpdateDeploymentAsync(DeploymentRecord deployment, CancellationToken cancellationToken = default);

    /// <returns>False when there was no such deployment.</returns>
    Task<bool> DeleteDeploymentAsync(string endpointName, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TlsBindingRecord>> ListTlsBindingsAsync(CancellationToken cancellationToken = default);

    /// <param name="scope">An endpoint name, or <see cref="TlsBindingRecord.RouterScope"/>.</param>
    Task<TlsBindingRecord?> FindTlsBindingAsync(string scope, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the binding of its scope.</summary>
    Task SaveTlsBindingAsync(TlsBindingRecord binding, CancellationToken cancellationToken = default);

    /// <returns>False when the scope had no binding.</returns>
    Task<bool> DeleteTlsBindingAsync(string scope, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ManagedCertificateRecord>> ListManagedCertificatesAsync(CancellationToken cancellationToken = default);

    /// <param name="scope">An endpoint name, or <see cref="TlsBindingRecord.RouterScope"/>.</param>
    Task<ManagedCertificateRecord?> FindManagedCertificateAsync(string scope, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the managed certificate of its scope.</summary>
    Task SaveManagedCertificateAsync(ManagedCertificateRecord record, CancellationToken cancellationToken = default);

    /// <returns>False when the scope had none.</returns>
    Task<bool> DeleteManagedCertificateAsync(string scope, CancellationToken cancellationToken = default);

    /// <param name="directory">The ACME directory URL the account belongs to.</param>
    Task<AcmeAccountRecord?> FindAcmeAccountAsync(string directory, CancellationToken cancellationToken = default);

    Task SaveAcmeAccountAsync(AcmeAccountRecord account, CancellationToken cancellationToken = default);

    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<TokenSigningKeyRecord>> ListTokenSigningKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a key; the revision changes, so routers learn it.</summary>
    Task InsertTokenSigningKeyAsync(TokenSigningKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>Removes keys whose tokens have all expired; the revision changes if any was removed.</summary>
    Task DeleteTokenSigningKeysAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves only the renewal bookkeeping of a managed certificate (next attempt, renew request,
    /// attempts, last error, last attempt): what <c>tls show</c> reports, not what routers serve,
    /// so the revision does not change and no router rebuilds its route table for an attempt.
    /// The certificate, key and host name go through <see cref="SaveManagedCertificateAsync"/>.
    /// </summary>
    /// <returns>False when the scope has no managed certificate.</returns>
    Task<bool> SaveManagedRenewalStateAsync(ManagedCertificateRecord record, CancellationToken cancellationToken = default);
}
