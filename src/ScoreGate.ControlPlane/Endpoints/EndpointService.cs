using Microsoft.Extensions.Logging;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>
/// The control plane's use cases for endpoints and deployments. Each reads, validates, and
/// writes once (one transaction, conditional on the versions it read), then republishes the
/// route table, so a change is served at once and a refused change leaves everything as it was.
/// A write that loses a race to another change is recomputed from a fresh read
/// (<see cref="ConflictRetry"/>), so concurrent changes compose instead of undoing each other.
/// </summary>
/// <param name="oidc">The router's OpenID Connect provider; null when oidcAuthority is not set, so aad_token is refused.</param>
public sealed partial class EndpointService(IScoreGateStore store, ConfigurationPublisher publisher, TimeProvider time, ILogger<EndpointService> logger, OidcSettings? oidc = null)
{
    public Task<IReadOnlyList<EndpointRecord>> ListEndpointsAsync(CancellationToken cancellationToken) => store.ListEndpointsAsync(cancellationToken);

    public async Task<OperationResult<EndpointRecord>> GetEndpointAsync(string name, CancellationToken cancellationToken) =>
        await store.FindEndpointAsync(name, cancellationToken) is { } endpoint ? endpoint : EndpointNotFound(name);

    public async Task<OperationResult<EndpointRecord>> CreateEndpointAsync(string? name, string? authMode, EndpointDetails? details, CancellationToken cancellationToken)
    {
        if (NameRules.Check(name, "endpoint") is { } invalidName)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidName, "name");
        }

        if (!EndpointAuthModes.TryParse(authMode, out var mode))
        {
            return new OperationError(OperationErrorKind.Invalid, $"Auth mode '{authMode}' is not supported. Use {EndpointAuthModes.Choices}.", "auth_mode");
        }

        if (DetailsRules.Check($"Endpoint '{name}'", details?.Description, details?.Tags, details?.Properties) is { } invalidDetails)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidDetails, DetailsRules.FieldOf(details?.Description));
        }

        if (PublicNetworkAccess.Normalize(details?.PublicNetworkAccess) is not { } access)
        {
            return new OperationError(OperationErrorKind.Invalid, PublicNetworkAccess.Refusal(details?.PublicNetworkAccess), PublicNetworkAccess.Field);
        }

        if (AllowedCallersRules.Check(name!, mode, details?.AllowedCallers, providerSet: oidc is not null) is { } invalidCallers)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidCallers.Message, invalidCallers.Field);
        }

        var now = time.GetUtcNow();
        var endpoint = new EndpointRecord(name!, mode, EndpointKeyGenerator.NewKey(), EndpointKeyGenerator.NewKey(), new Dictionary<string, int>(), now, now)
        {
            Details = (details ?? EndpointDetails.Empty) with { MirrorTraffic = new Dictionary<string, int>(), PublicNetworkAccess = access },
            Version = 1,
            Incarnation = EndpointKeyGenerator.NewIncarnation(),
        };
        if (!await store.InsertEndpointAsync(endpoint, cancellationToken))
        {
            return new OperationError(OperationErrorKind.Conflict, $"Endpoint '{name}' already exists. Choose another name, or change it with 'scoregate endpoint update'.", "name");
        }

        Log.EndpointChanged(logger, endpoint.Name, "created");
        await publisher.PublishAsync(cancellationToken);
        return endpoint;
    }

    public Task<OperationResult<EndpointRecord>> UpdateTrafficAsync(string name, IReadOnlyDictionary<string, int> traffic, CancellationToken cancellationToken) =>
        UpdateEndpointAsync(name, new EndpointUpdate(traffic, null, null, null), cancellationToken);

    /// <summary>Changes what the update gives (traffic, mirror, description, tags); what is null stays.</summary>
    public async Task<OperationResult<EndpointRecord>> UpdateEndpointAsync(string name, EndpointUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var result = await ConflictRetry.RunAsync(() => TryUpdateEndpointAsync(name, update, cancellationToken), cancellationToken);
        if (result.Value is { } updated)
        {
            Log.EndpointChanged(logger, updated.Name, "updated");
            await publisher.PublishAsync(cancellationToken);
        }

        return result;
    }

    private async Task<OperationResult<EndpointRecord>> TryUpdateEndpointAsync(string name, EndpointUpdate update, CancellationToken cancellationToken)
    {
        if (await store.FindEndpointAsync(name, cancellationToken) is not { } endpoint)
        {
            return EndpointNotFound(name);
        }

        if (update.Traffic is null && update.MirrorTraffic is null && update.Description is null && update.Tags is null && update.AuthMode is null && update.Properties is null && update.PublicNetworkAccess is null && update.AllowedCallers is null)
        {
            return new OperationError(OperationErrorKind.Invalid, $"Nothing to update on endpoint '{endpoint.Name}': give traffic, mirror traffic, description, tags, properties, auth mode, public network access or allowed callers (with the CLI: --traffic, or -f with an endpoint file).");
        }

        var mode = endpoint.AuthMode;
        if (update.AuthMode is not null && !EndpointAuthModes.TryParse(update.AuthMode, out mode))
        {
            return new OperationError(OperationErrorKind.Invalid, $"Auth mode '{update.AuthMode}' is not supported. Use {EndpointAuthModes.Choices}.", "auth_mode");
        }

        if (DetailsRules.Check($"Endpoint '{endpoint.Name}'", update.Description, update.Tags, update.Properties) is { } invalidDetails)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidDetails, DetailsRules.FieldOf(update.Description));
        }

        var access = update.PublicNetworkAccess is null ? endpoint.Details.PublicNetworkAccess : PublicNetworkAccess.Normalize(update.PublicNetworkAccess);
        if (update.PublicNetworkAccess is not null && access is null)
        {
            return new OperationError(OperationErrorKind.Invalid, PublicNetworkAccess.Refusal(update.PublicNetworkAccess), PublicNetworkAccess.Field);
        }

        var allowedCallers = update.AllowedCallers is { } change ? change.ApplyTo(endpoint.Details.AllowedCallers) : endpoint.Details.AllowedCallers;
        // Only a change checks the provider: an endpoint stored while oidcAuthority was set stays updatable.
        var modeChanged = update.AuthMode is not null && mode != endpoint.AuthMode;
        if (AllowedCallersRules.Check(endpoint.Name, mode, allowedCallers, providerSet: oidc is not null || !modeChanged) is { } invalidCallers)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidCallers.Message, invalidCallers.Field);
        }

        var deployments = (await store.ListDeploymentsAsync(endpoint.Name, cancellationToken)).Select(d => d.Name).ToList();
        var traffic = update.Traffic ?? endpoint.Traffic;
        var mirror = update.MirrorTraffic ?? endpoint.Details.MirrorTraffic;
        if (TrafficRules.Check(endpoint.Name, traffic, deployments) is { } invalidTraffic)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidTraffic, "traffic");
        }

        if (TrafficRules.CheckMirror(endpoint.Name, mirror, traffic, deployments) is { } invalidMirror)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidMirror, "mirror_traffic");
        }

        // Stored with the deployments' own spelling, so the table and `show` agree.
        string Spelt(string deployment) => deployments.First(d => string.Equals(d, deployment, StringComparison.OrdinalIgnoreCase));
        var updated = endpoint with
        {
            AuthMode = mode,
            Traffic = traffic.ToDictionary(t => Spelt(t.Key), t => t.Value),
            Details = endpoint.Details with
            {
                MirrorTraffic = mirror.Where(m => m.Value > 0).ToDictionary(m => Spelt(m.Key), m => m.Value),
                Description = update.Description ?? endpoint.Details.Description,
                Tags = update.Tags ?? endpoint.Details.Tags,
                Properties = update.Properties ?? endpoint.Details.Properties,
                PublicNetworkAccess = access,
                AllowedCallers = allowedCallers,
            },
            UpdatedAt = time.GetUtcNow(),
        };

        // The deployments checked above are part of what this write depends on: creating or deleting
        // one holds or moves the endpoint's row, so this write cannot commit against a stale list.
        return Written(await store.UpdateEndpointAsync(updated, cancellationToken), updated, endpoint.Name);
    }

    public async Task<OperationResult<EndpointRecord>> DeleteEndpointAsync(string name, CancellationToken cancellationToken)
    {
        if (await store.FindEndpointAsync(name, cancellationToken) is not { } endpoint)
        {
            return EndpointNotFound(name);
        }

        await store.DeleteEndpointAsync(endpoint.Name, cancellationToken);
        Log.EndpointChanged(logger, endpoint.Name, "deleted");
        await publisher.PublishAsync(cancellationToken);
        return endpoint;
    }

    /// <param name="keyType">"primary" or "secondary"; the other key stays valid.</param>
    public async Task<OperationResult<EndpointRecord>> RegenerateKeyAsync(string name, string? keyType, CancellationToken cancellationToken)
    {
        var primary = string.Equals(keyType, "primary", StringComparison.OrdinalIgnoreCase);
        if (!primary && !string.Equals(keyType, "secondary", StringComparison.OrdinalIgnoreCase))
        {
            return new OperationError(OperationErrorKind.Invalid, $"Key type '{keyType}' is not known. Use --key-type primary or --key-type secondary.");
        }

        string KeyOf(EndpointRecord endpoint) => primary ? endpoint.PrimaryKey : endpoint.SecondaryKey;
        string? firstRead = null;
        var regenerated = false;
        var result = await ConflictRetry.RunAsync(async () =>
        {
            if (await store.FindEndpointAsync(name, cancellationToken) is not { } endpoint)
            {
                return EndpointNotFound(name);
            }

            firstRead ??= KeyOf(endpoint);
            if (KeyOf(endpoint) != firstRead)
            {
                // Another regeneration of this key committed while this one was in flight (on this
                // router or another): the caller asked for a new key, and there is one. Drawing yet
                // another would void the key the other caller was just given.
                return endpoint;
            }

            var newKey = EndpointKeyGenerator.NewKey();
            var updated = primary
                ? endpoint with { PrimaryKey = newKey, UpdatedAt = time.GetUtcNow() }
                : endpoint with { SecondaryKey = newKey, UpdatedAt = time.GetUtcNow() };
            var written = Written(await store.UpdateEndpointAsync(updated, cancellationToken), updated, endpoint.Name);
            regenerated = written.Value is not null;
            return written;
        }, cancellationToken);

        if (regenerated)
        {
            Log.KeysRegenerated(logger, result.Value!.Name, primary ? "primary" : "secondary");
            await publisher.PublishAsync(cancellationToken);
        }

        return result;
    }

    public async Task<OperationResult<IReadOnlyList<DeploymentRecord>>> ListDeploymentsAsync(string endpointName, CancellationToken cancellationToken)
    {
        if (await store.FindEndpointAsync(endpointName, cancellationToken) is not { } endpoint)
        {
            return EndpointNotFound(endpointName, "endpoint_name");
        }

        return new OperationResult<IReadOnlyList<DeploymentRecord>>(await store.ListDeploymentsAsync(endpoint.Name, cancellationToken), null);
    }

    public async Task<OperationResult<DeploymentRecord>> GetDeploymentAsync(string endpointName, string name, CancellationToken cancellationToken)
    {
        if (await store.FindEndpointAsync(endpointName, cancellationToken) is not { } endpoint)
        {
            return EndpointNotFound(endpointName, "endpoint_name");
        }

        return await store.FindDeploymentAsync(endpoint.Name, name, cancellationToken) is { } deployment ? deployment : DeploymentNotFound(endpoint.Name, name);
    }

    public async Task<OperationResult<DeploymentRecord>> CreateDeploymentAsync(
        string endpointName, string? name, IReadOnlyList<string>? urls, RequestSettings? requestSettings, DeploymentDetails? details, CancellationToken cancellationToken)
    {
        if (NameRules.Check(name, "deployment") is { } invalidName)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidName, "name");
        }

        if (DeploymentRules.CheckBackend(name!, details?.Process, urls) is { } invalidBackend)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidBackend.Message, invalidBackend.Field);
        }

        var settings = requestSettings ?? RequestSettings.Default;
        if (DeploymentRules.CheckRequestSettings(name!, settings) is { } invalidSettings)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidSettings, DeploymentRules.RequestSettingsField(settings));
        }

        if (DetailsRules.Check($"Deployment '{name}'", details?.Description, details?.Tags, details?.Properties) is { } invalidDetails)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidDetails, DetailsRules.FieldOf(details?.Description));
        }

        if (await store.FindEndpointAsync(endpointName, cancellationToken) is not { } endpoint)
        {
            return EndpointNotFound(endpointName, "endpoint_name");
        }

        var now = time.GetUtcNow();
        var deployment = new DeploymentRecord(endpoint.Name, name!, [.. (urls ?? []).Select(u => u.TrimEnd('/'))], settings, now, now) { Details = details ?? DeploymentDetails.Empty, Version = 1 };
        switch (await store.InsertDeploymentAsync(deployment, cancellationToken))
        {
            case WriteOutcome.NotFound:
                return EndpointNotFound(endpointName, "endpoint_name");
            case WriteOutcome.Conflict:
                return new OperationError(OperationErrorKind.Conflict, $"Endpoint '{endpoint.Name}' already has a deployment named '{name}'. Choose another name, or delete it first.", "name");
        }

        Log.DeploymentChanged(logger, endpoint.Name, deployment.Name, "created");
        await publisher.PublishAsync(cancellationToken);
        return deployment;
    }

    /// <summary>Replaces the instance URLs, request settings and/or details of a deployment; what is null stays.</summary>
    public async Task<OperationResult<DeploymentRecord>> UpdateDeploymentAsync(
        string endpointName, string name, IReadOnlyList<string>? urls, RequestSettings? requestSettings, DeploymentDetails? details, CancellationToken cancellationToken)
    {
        if (urls is null && requestSettings is null && details is null)
        {
            return new OperationError(OperationErrorKind.Invalid, $"Nothing to update on deployment '{name}': give --url, or a file (-f).");
        }

        if ((details?.Process is not null || urls is not null) && DeploymentRules.CheckBackend(name, details?.Process, urls) is { } invalidBackend)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidBackend.Message, invalidBackend.Field);
        }

        if (requestSettings is not null && DeploymentRules.CheckRequestSettings(name, requestSettings) is { } invalidSettings)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidSettings, DeploymentRules.RequestSettingsField(requestSettings));
        }

        if (details is not null && DetailsRules.Check($"Deployment '{name}'", details.Description, details.Tags, details.Properties) is { } invalidDetails)
        {
            return new OperationError(OperationErrorKind.Invalid, invalidDetails, DetailsRules.FieldOf(details.Description));
        }

        var result = await ConflictRetry.RunAsync(async () =>
        {
            var existing = await GetDeploymentAsync(endpointName, name, cancellationToken);
            if (existing.Value is not { } deployment)
            {
                return existing;
            }

            if (details is null && urls is not null && deployment.Details.Process is not null)
            {
                return new OperationError(OperationErrorKind.Invalid,
                    $"Deployment '{deployment.Name}' runs its model with a command, so it has no URLs to replace. Change its backend with 'scoregate deployment update -f'.");
            }

            var updated = deployment with
            {
                Urls = details?.Process is not null ? [] : urls is null ? deployment.Urls : [.. urls.Select(u => u.TrimEnd('/'))],
                RequestSettings = requestSettings ?? deployment.RequestSettings,
                Details = details ?? deployment.Details,
                UpdatedAt = time.GetUtcNow(),
            };
            return await store.UpdateDeploymentAsync(updated, cancellationToken) switch
            {
                WriteOutcome.Written => updated with { Version = deployment.Version + 1 },
                WriteOutcome.NotFound => DeploymentNotFound(deployment.EndpointName, deployment.Name),
                _ => ConflictRetry.ChangedMeanwhile($"Deployment '{deployment.Name}' of endpoint '{deployment.EndpointName}'"),
            };
        }, cancellationToken);

        if (result.Value is { } changed)
        {
            Log.DeploymentChanged(logger, changed.EndpointName, changed.Name, "updated");
            await publisher.PublishAsync(cancellationToken);
        }

        return result;
    }

    public async Task<OperationResult<DeploymentRecord>> DeleteDeploymentAsync(string endpointName, string name, CancellationToken cancellationToken)
    {
        var result = await ConflictRetry.RunAsync(() => TryDeleteDeploymentAsync(endpointName, name, cancellationToken), cancellationToken);
        if (result.Value is { } deleted)
        {
            Log.DeploymentChanged(logger, deleted.EndpointName, deleted.Name, "deleted");
            await publisher.PublishAsync(cancellationToken);
        }

        return result;
    }

    private async Task<OperationResult<DeploymentRecord>> TryDeleteDeploymentAsync(string endpointName, string name, CancellationToken cancellationToken)
    {
        if (await store.FindEndpointAsync(endpointName, cancellationToken) is not { } endpoint)
        {
            return EndpointNotFound(endpointName, "endpoint_name");
        }

        if (await store.FindDeploymentAsync(endpoint.Name, name, cancellationToken) is not { } deployment)
        {
            return DeploymentNotFound(endpoint.Name, name);
        }

        if (endpoint.Traffic.GetValueOrDefault(deployment.Name) is > 0 and var percent)
        {
            return new OperationError(OperationErrorKind.Conflict,
                $"Deployment '{deployment.Name}' still receives {percent}% of endpoint '{endpoint.Name}''s traffic. Move its traffic first (scoregate endpoint update --name {endpoint.Name} --traffic ...), then delete it.");
        }

        if (endpoint.Details.MirrorTraffic.GetValueOrDefault(deployment.Name) is > 0 and var mirrored)
        {
            return new OperationError(OperationErrorKind.Conflict,
                $"Deployment '{deployment.Name}' still receives {mirrored}% of endpoint '{endpoint.Name}''s traffic as a mirror. Set its mirror_traffic to 0 first, then delete it.");
        }

        // One transaction: the endpoint's row (its traffic without the deployment) is written only if
        // no traffic change committed since the checks above, and the deployment goes with it.
        var remaining = endpoint with { Traffic = endpoint.Traffic.Where(t => t.Key != deployment.Name).ToDictionary(), UpdatedAt = time.GetUtcNow() };
        return await store.DeleteDeploymentAsync(remaining, deployment.Name, cancellationToken) switch
        {
            WriteOutcome.Written => deployment,
            WriteOutcome.NotFound => DeploymentNotFound(endpoint.Name, name),
            _ => ConflictRetry.ChangedMeanwhile($"Endpoint '{endpoint.Name}'"),
        };
    }

    /// <summary>The result of a conditional endpoint write: the record as written, or why not.</summary>
    private static OperationResult<EndpointRecord> Written(WriteOutcome outcome, EndpointRecord updated, string name) => outcome switch
    {
        WriteOutcome.Written => updated with { Version = updated.Version + 1 },
        WriteOutcome.NotFound => EndpointNotFound(name),
        _ => ConflictRetry.ChangedMeanwhile($"Endpoint '{name}'"),
    };

    /// <param name="field">The file field that named it: <c>name</c> in an endpoint file, <c>endpoint_name</c> in a deployment file.</param>
    private static OperationError EndpointNotFound(string name, string field = "name") =>
        new(OperationErrorKind.NotFound, $"Endpoint '{name}' does not exist. See 'scoregate endpoint list' for the endpoints there are.", field);

    private static OperationError DeploymentNotFound(string endpointName, string name) =>
        new(OperationErrorKind.NotFound, $"Endpoint '{endpointName}' has no deployment named '{name}'. See 'scoregate deployment list --endpoint {endpointName}'.", "name");
}
