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
/// <item>Concurrency is optimistic: endpoints and deployments carry a row version, and a write
/// computed from an older read is refused with <see cref="WriteOutcome.Conflict"/>, never applied
/// over a change it did not see. Each use case is one write, so its invariants (traffic only to
/// existing deployments) hold inside one transaction.</item>
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

    /// <summary>Writes the endpoint if its row is still at <see cref="EndpointRecord.Version"/>.</summary>
    Task<WriteOutcome> UpdateEndpointAsync(EndpointRecord endpoint, CancellationToken cancellationToken = default);

    /// <summary>Deletes the endpoint, its deployments and its TLS binding.</summary>
    /// <returns>False when there was no such endpoint.</returns>
    Task<bool> DeleteEndpointAsync(string name, CancellationToken cancellationToken = default);

    /// <param name="endpointName">Only this endpoint's deployments, or all when null.</param>
    Task<IReadOnlyList<DeploymentRecord>> ListDeploymentsAsync(string? endpointName, CancellationToken cancellationToken = default);

    Task<DeploymentRecord?> FindDeploymentAsync(string endpointName, string name, CancellationToken cancellationToken = default);

    /// <returns><see cref="WriteOutcome.Conflict"/> when the endpoint already has a deployment with that name; <see cref="WriteOutcome.NotFound"/> when the endpoint is gone.</returns>
    Task<WriteOutcome> InsertDeploymentAsync(DeploymentRecord deployment, CancellationToken cancellationToken = default);

    /// <summary>Writes the deployment if its row is still at <see cref="DeploymentRecord.Version"/>.</summary>
    Task<WriteOutcome> UpdateDeploymentAsync(DeploymentRecord deployment, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes deployment <paramref name="name"/> and writes <paramref name="endpoint"/> (its traffic
    /// without the deployment) in one transaction, if the endpoint is still at its version.
    /// </summary>
    Task<WriteOutcome> DeleteDeploymentAsync(EndpointRecord endpoint, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TlsBindingRecord>> ListTlsBindingsAsync(CancellationToken cancellationToken = default);

    /// <param name="scope">An endpoint name, or <see cref="TlsBindingRecord.RouterScope"/>.</param>
    Task<TlsBindingRecord?> FindTlsBindingAsync(string scope, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the binding of its scope; a binding that is not managed also ends the scope's managed certificate, in the same transaction.</summary>
    Task SaveTlsBindingAsync(TlsBindingRecord binding, CancellationToken cancellationToken = default);

    /// <summary>Deletes the scope's binding and its managed certificate, if any, in one transaction.</summary>
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
