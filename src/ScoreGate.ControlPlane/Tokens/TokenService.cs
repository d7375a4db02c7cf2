using System.Security.Cryptography;
using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Tokens;

/// <summary>
/// <c>endpoint get-token</c>: signs short-lived tokens for <c>aml_token</c> endpoints. The signing
/// key rotates every <see cref="EndpointTokens.KeyRotation"/>; a replaced key keeps verifying
/// until the last token it signed has expired, then it is deleted. Rotation happens when a token
/// is asked for, so an idle router keeps no timer for it.
/// </summary>
public sealed class TokenService(IScoreGateStore store, ConfigurationPublisher publisher, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _rotation = new(1, 1);

    public async Task<OperationResult<EndpointToken>> GetTokenAsync(string endpointName, CancellationToken cancellationToken)
    {
        if (await store.FindEndpointAsync(endpointName, cancellationToken) is not { } endpoint)
        {
            return new OperationError(OperationErrorKind.NotFound, $"Endpoint '{endpointName}' does not exist. See 'scoregate endpoint list' for the endpoints there are.");
        }

        if (endpoint.AuthMode == EndpointAuthMode.AadToken)
        {
            return new OperationError(OperationErrorKind.Invalid, AadTokenHasNoRouterCredentials(endpoint.Name), "auth_mode");
        }

        if (endpoint.AuthMode != EndpointAuthMode.AmlToken)
        {
            return new OperationError(OperationErrorKind.Invalid,
                $"Endpoint '{endpoint.Name}' uses {EndpointAuthModes.Name(endpoint.AuthMode)} auth, so it takes no tokens. " +
                $"Tokens are for endpoints created with --auth-mode aml_token; for this one use 'scoregate endpoint get-credentials --name {endpoint.Name}'.");
        }

        var key = await CurrentKeyAsync(cancellationToken);
        var now = time.GetUtcNow();
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key.KeyPem);
        var token = TokenSigner.Sign(key.Id, ecdsa, EndpointTokens.Audience(endpoint.Name, endpoint.Incarnation), now);
        return new EndpointToken(token, (now + EndpointTokens.Lifetime).ToUnixTimeSeconds(), (now + EndpointTokens.RefreshAfter).ToUnixTimeSeconds(), "Bearer");
    }

    /// <summary>An aad_token endpoint's callers get tokens from the provider; the router neither issues them nor holds keys for them.</summary>
    public static string AadTokenHasNoRouterCredentials(string endpoint) =>
        $"Endpoint '{endpoint}' uses aad_token auth: its callers send access tokens from the router's OpenID Connect provider (oidcAuthority), which the router does not issue. " +
        "Get one from the provider (client credentials: POST to its token endpoint with the audience oidcAudience); docs/identity.md shows how.";

    public void Dispose() => _rotation.Dispose();

    /// <summary>The newest key, after adding one if it is due and deleting those no token needs any more.</summary>
    private async Task<TokenSigningKeyRecord> CurrentKeyAsync(CancellationToken cancellationToken)
    {
        await _rotation.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var keys = await store.ListTokenSigningKeysAsync(cancellationToken);
            var changed = false;
            if (keys.Count == 0 || keys[^1].CreatedAt + EndpointTokens.KeyRotation <= now)
            {
                using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var added = new TokenSigningKeyRecord(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), ecdsa.ExportPkcs8PrivateKeyPem(), now);
                await store.InsertTokenSigningKeyAsync(added, cancellationToken);
                keys = [.. keys, added];
                changed = true;
            }

            // A key's last token was signed just before its successor took over.
            var expired = keys.Zip(keys.Skip(1), (key, successor) => (key, successor))
                .Where(p => p.successor.CreatedAt + EndpointTokens.Lifetime + EndpointTokens.ClockSkew < now)
                .Select(p => p.key.Id)
                .ToList();
            if (expired.Count > 0)
            {
                await store.DeleteTokenSigningKeysAsync(expired, cancellationToken);
                changed = true;
            }

            if (changed)
            {
                await publisher.PublishAsync(cancellationToken);
            }

            return keys[^1];
        }
        finally
        {
            _rotation.Release();
        }
    }
}
