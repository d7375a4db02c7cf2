using ScoreGate.Certificates.Acme;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.ControlPlane.Store;

namespace ScoreGate.ControlPlane.Managed;

/// <summary>
/// One ACME client per CA, each with its account: the key is made once, kept encrypted in the
/// store, and the account is found again with it after a restart (RFC 8555 7.3.1).
/// </summary>
public sealed class AcmeAccounts(IScoreGateStore store, ManagedSettings settings, TimeProvider time) : IDisposable
{
    private readonly HttpClient _http = AcmeHttpClient.Create(settings.AcmeCaBundlePem);
    private readonly Dictionary<Uri, AcmeClient> _clients = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The directories tried in order: <c>acmeDirectory</c>, then <c>acmeFallbackDirectory</c>.</summary>
    public IReadOnlyList<Uri> Directories { get; } = settings.AcmeFallbackDirectory is { } fallback ? [settings.AcmeDirectory, fallback] : [settings.AcmeDirectory];

    public async Task<AcmeClient> ClientForAsync(Uri directory, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_clients.TryGetValue(directory, out var cached))
            {
                return cached;
            }

            var stored = await store.FindAcmeAccountAsync(directory.AbsoluteUri, cancellationToken);
            var key = stored is null ? AcmeAccountKey.Create() : AcmeAccountKey.FromPem(stored.KeyPem);
            var client = new AcmeClient(_http, directory, key);
            var url = await client.EnsureAccountAsync(settings.AcmeEmail, settings.AcmeExternalAccount, cancellationToken);
            if (stored is null || stored.AccountUrl != url.AbsoluteUri)
            {
                await store.SaveAcmeAccountAsync(new AcmeAccountRecord(directory.AbsoluteUri, key.ExportPem(), url.AbsoluteUri, stored?.CreatedAt ?? time.GetUtcNow()), cancellationToken);
            }

            _clients[directory] = client;
            return client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Drops the cached client of a CA that no longer knows our account (RFC 8555 7.3.1
    /// <c>accountDoesNotExist</c>: the CA was reset); the next call registers the key again.
    /// </summary>
    public async Task ForgetAsync(Uri directory, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _clients.Remove(directory);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
        foreach (var client in _clients.Values)
        {
            client.Key.Dispose();
        }
    }
}
