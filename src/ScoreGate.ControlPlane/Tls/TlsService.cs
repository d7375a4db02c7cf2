using Microsoft.Extensions.Logging;
using ScoreGate.ControlPlane.Api;
using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Managed;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Tls;

namespace ScoreGate.ControlPlane.Tls;

/// <summary>
/// <c>tls enable | update | disable | show</c>, for the router or for one endpoint. A new
/// certificate is loaded and checked in full before anything is stored, so a refused one changes
/// nothing; an accepted one serves new handshakes as soon as it is published.
/// </summary>
public sealed partial class TlsService(
    IScoreGateStore store,
    RouterSettings settings,
    ConfigurationPublisher publisher,
    CertificateSelector selector,
    TlsBindingWatcher watcher,
    ManagedCertificateRenewer renewer,
    TimeProvider time,
    ILogger<TlsService> logger)
{
    /// <param name="endpointName">The endpoint, or null for the router's own binding.</param>
    /// <param name="request">The new source and host name.</param>
    /// <param name="replace">True for <c>update</c> (a binding must exist), false for <c>enable</c>.</param>
    /// <param name="cancellationToken">Abandons the operation.</param>
    public async Task<OperationResult<TlsView>> EnableAsync(string? endpointName, TlsRequest request, bool replace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = await ScopeAsync(endpointName, cancellationToken);
        if (scope.Error is { } missing)
        {
            return missing;
        }

        var existing = await store.FindTlsBindingAsync(scope.Value!, cancellationToken);
        if (existing is { Kind: TlsSourceKind.Disabled })
        {
            existing = null;
        }

        if (replace && existing is null)
        {
            return new OperationError(OperationErrorKind.NotFound, endpointName is null
                ? "The router's certificate was not set with 'tls enable'; use 'tls enable' first (or change the sslCertPemFile files, which are watched)."
                : $"Endpoint '{endpointName}' has no certificate of its own. Use 'tls enable --endpoint {endpointName}' first.");
        }

        var hostName = request.Cname?.Trim().TrimEnd('.') is { Length: > 0 } cname ? cname : existing?.HostName;
        var now = time.GetUtcNow();
        // 'tls update' without client-certificate flags keeps the binding's client CA, CRL and mode.
        var keepsClientCertificates = replace && existing is not null && request is { ClientCaFile: null, ClientCrlFile: null, ClientCertificateMode: null };
        var record = TlsRequests.ToRecord(scope.Value!, hostName, request, existing?.CreatedAt ?? now, now);
        if (record.Error is { } invalid)
        {
            return invalid;
        }

        if (keepsClientCertificates)
        {
            record = record.Value! with { ClientCaPath = existing!.ClientCaPath, ClientCrlPath = existing.ClientCrlPath, ClientCertificateMode = existing.ClientCertificateMode };
        }

        // A bad client CA or CRL is refused before anything is stored, whatever the certificate source.
        if (TlsBindingSources.ClientCertificates(record.Value!) is { } clientFiles && ClientCertificatePolicy.Load(clientFiles, time).Error is { } clientError)
        {
            return new OperationError(OperationErrorKind.Invalid, clientError);
        }

        if (record.Value!.Kind == TlsSourceKind.Managed)
        {
            return await EnableManagedAsync(endpointName, record.Value, request, cancellationToken);
        }

        if (CheckHostName(endpointName, hostName) is { } badName)
        {
            return new OperationError(OperationErrorKind.Invalid, badName);
        }

        if (endpointName is not null && (await store.ListTlsBindingsAsync(cancellationToken))
            .FirstOrDefault(b => b.Scope.Length > 0 && !string.Equals(b.Scope, scope.Value, StringComparison.OrdinalIgnoreCase) && string.Equals(b.HostName, hostName, StringComparison.OrdinalIgnoreCase)) is { } taken)
        {
            return new OperationError(OperationErrorKind.Conflict, $"Host name '{hostName}' already belongs to endpoint '{taken.Scope}'. Give each endpoint its own host name.");
        }


        // Validate first, then commit (STYLE.md §5): the same checks the data plane will make.
        var spec = TlsBindingSources.Spec(record.Value!, settings, null)!;
        var loaded = TlsBindingLoader.Load(spec, settings.MinProtocol, time, null);
        if (loaded.Binding is not { } binding)
        {
            return new OperationError(OperationErrorKind.Invalid, loaded.Error!);
        }

        // Only a check: the watcher loads what it serves from the stored binding.
        binding.Certificate.Dispose();
        // One write: a managed certificate this source replaces goes with it (no longer renewed).
        await store.SaveTlsBindingAsync(record.Value!, cancellationToken);
        var owner = Owner(endpointName);
        Log.Changed(logger, owner, replace ? "updated" : "enabled", spec.ClientCertificates is { } client
            ? $"{spec.Source.Description}, client certificates {ClientCertificateModes.Name(client.Mode)} from {client.CaPath}"
            : spec.Source.Description);
        await publisher.PublishAsync(cancellationToken);
        return await ShowAsync(endpointName, cancellationToken);
    }

    /// <summary><c>tls enable --leaf-domain-label</c>: keep or generate the name, store the binding, issue now.</summary>
    private async Task<OperationResult<TlsView>> EnableManagedAsync(string? endpointName, TlsBindingRecord binding, TlsRequest request, CancellationToken cancellationToken)
    {
        if (settings.Managed.DnsZone is null)
        {
            return new OperationError(OperationErrorKind.Invalid,
                $"Managed certificates need the router setting {RouterSettingNames.DnsZone}, the DNS zone generated names live in. Restart the router with {RouterSettingNames.DnsZone} set (and {RouterSettingNames.DnsServer} to publish the names).");
        }

        var label = request.LeafDomainLabel!.Trim().ToLowerInvariant();
        if (ManagedSettingsReader.LabelProblem(label, ManagedSettingsReader.MaxLabelLength) is { } problem)
        {
            return new OperationError(OperationErrorKind.Invalid, $"--leaf-domain-label '{label}' {problem}");
        }

        var managed = await renewer.EnsureAsync(binding.Scope, label, request.OverwriteExistingDomain, renew: false, cancellationToken);
        await store.SaveTlsBindingAsync(binding with { HostName = managed.HostName }, cancellationToken);
        var owner = Owner(endpointName);
        var source = $"managed certificate for {managed.HostName}";
        Log.Changed(logger, owner, "enabled", source);
        await publisher.PublishAsync(cancellationToken);
        if (await renewer.EnsureIssuedAsync(binding.Scope, cancellationToken) is { HasCertificate: false } failed)
        {
            return new OperationError(OperationErrorKind.Upstream,
                $"The certificate for {failed.HostName} could not be issued yet: {failed.LastError} ScoreGate tries again at {failed.NextAttemptAt:u}; 'tls show{EndpointOption(endpointName)}' shows progress.");
        }

        return await ShowAsync(endpointName, cancellationToken);
    }

    /// <summary><c>tls renew</c>: a new certificate now; the current one serves until it is in place.</summary>
    public async Task<OperationResult<TlsView>> RenewAsync(string? endpointName, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(endpointName, cancellationToken);
        if (scope.Error is { } missing)
        {
            return missing;
        }

        if (await ManagedRecordAsync(scope.Value!, cancellationToken) is null)
        {
            return new OperationError(OperationErrorKind.Conflict, endpointName is null
                ? $"The router's certificate is not managed, so ScoreGate cannot renew it: replace its files (they are watched) or use 'tls update'. Managed certificates come from {RouterSettingNames.SslLeafDomainLabel} or 'tls enable --leaf-domain-label'."
                : $"Endpoint '{endpointName}' has no managed certificate: 'tls renew' renews certificates set with 'tls enable --endpoint {endpointName} --leaf-domain-label L'.");
        }

        var before = time.GetUtcNow();
        var after = await renewer.RenewNowAsync(scope.Value!, cancellationToken);
        if (after is { LastError: { } error, LastAttemptAt: { } attempted } && attempted >= before)
        {
            var serving = after.HasCertificate ? $"The current certificate (serial {after.SerialNumber}) keeps serving until {after.NotAfter:u}." : "Nothing is served for it yet.";
            return new OperationError(OperationErrorKind.Upstream, $"Renewing the certificate for {after.HostName} failed: {error} {serving} ScoreGate tries again at {after.NextAttemptAt:u}.");
        }

        return await ShowAsync(endpointName, cancellationToken);
    }

    public async Task<OperationResult<TlsView>> DisableAsync(string? endpointName, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(endpointName, cancellationToken);
        if (scope.Error is { } missing)
        {
            return missing;
        }

        if (endpointName is not null)
        {
            // One write: the binding and its managed certificate, if any, go together.
            if (!await store.DeleteTlsBindingAsync(scope.Value!, cancellationToken))
            {
                return new OperationError(OperationErrorKind.NotFound, $"Endpoint '{endpointName}' has no certificate of its own; it already uses the router's.");
            }

            var owner = Owner(endpointName);
            Log.Changed(logger, owner, "disabled", "its own certificate; the router's serves it");
            await publisher.PublishAsync(cancellationToken);
            return await ShowAsync(endpointName, cancellationToken);
        }

        if (!settings.AllowInsecureConnections)
        {
            return new OperationError(OperationErrorKind.Conflict,
                $"Turning off the router's TLS would leave it serving plain HTTP, which {RouterSettingNames.AllowInsecureConnections}=false forbids. " +
                $"Restart the router with {RouterSettingNames.AllowInsecureConnections}=true first if that is really wanted.");
        }

        var now = time.GetUtcNow();
        await store.SaveTlsBindingAsync(new TlsBindingRecord(TlsBindingRecord.RouterScope, null, TlsSourceKind.Disabled, null, null, null, null, null, null, null, now, now), cancellationToken);
        Log.Changed(logger, "router", "disabled", "plain HTTP for names without their own certificate");
        await publisher.PublishAsync(cancellationToken);
        return TlsView.Disabled;
    }

    public async Task<OperationResult<TlsView>> ShowAsync(string? endpointName, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(endpointName, cancellationToken);
        if (scope.Error is { } missing)
        {
            return missing;
        }

        var snapshot = selector.Current;
        var problems = watcher.Problems;
        var managed = await ManagedRecordAsync(scope.Value!, cancellationToken);
        var managedView = managed is null ? null : ManagedView.Of(managed);
        var notIssued = managed is { HasCertificate: false } ? managed.LastError ?? "The managed certificate has not been issued yet." : null;
        if (endpointName is not null && await store.FindTlsBindingAsync(scope.Value!, cancellationToken) is { HostName: { } hostName })
        {
            var own = snapshot.HostBindings.FirstOrDefault(b => string.Equals(b.HostName, hostName, StringComparison.OrdinalIgnoreCase));
            var problem = problems.GetValueOrDefault(hostName);
            return (own is null ? TlsView.Broken(hostName, problem ?? notIssued) : TlsView.Of(own) with { Problem = problem }) with { Managed = managedView };
        }

        var view = snapshot.Default is { } router
            ? TlsView.Of(router) with { Problem = problems.GetValueOrDefault(string.Empty) }
            : managed is not null ? TlsView.Broken(managed.HostName, notIssued) : TlsView.Disabled;
        view = view with { Managed = managedView };
        return endpointName is null ? view : view with { UsesRouterCertificate = true, Managed = null };
    }

    /// <returns>The store scope: the endpoint's stored name, or the router scope.</returns>
    private async Task<OperationResult<string>> ScopeAsync(string? endpointName, CancellationToken cancellationToken)
    {
        if (endpointName is null)
        {
            return TlsBindingRecord.RouterScope;
        }

        return await store.FindEndpointAsync(endpointName, cancellationToken) is { } endpoint
            ? endpoint.Name
            : new OperationError(OperationErrorKind.NotFound, $"Endpoint '{endpointName}' does not exist. See 'scoregate endpoint list' for the endpoints there are.");
    }

    private static string? CheckHostName(string? endpointName, string? hostName)
    {
        if (hostName is null)
        {
            return endpointName is null
                ? null
                : $"Endpoint '{endpointName}' needs its own host name for its certificate: give --cname, such as {endpointName}.contoso.com.";
        }

        return Uri.CheckHostName(hostName) is UriHostNameType.Dns && !hostName.StartsWith("*.", StringComparison.Ordinal)
            ? null
            : $"--cname '{hostName}' is not a host name. Give the name clients use, such as {endpointName ?? "www"}.contoso.com (no scheme, port, path or wildcard).";
    }

    private static string Owner(string? endpointName) => endpointName is null ? "router" : $"endpoint {endpointName}";

    private static string EndpointOption(string? endpointName) => endpointName is null ? string.Empty : $" --endpoint {endpointName}";

    /// <summary>The managed record that serves the scope: an endpoint's, or the router's when its certificate is managed.</summary>
    private async Task<ManagedCertificateRecord?> ManagedRecordAsync(string scope, CancellationToken cancellationToken)
    {
        var binding = await store.FindTlsBindingAsync(scope, cancellationToken);
        var managedBinding = binding is { Kind: TlsSourceKind.Managed }
            || (scope == TlsBindingRecord.RouterScope && binding is null && settings.Certificate is null && settings.Managed.LeafDomainLabel is not null);
        return managedBinding ? await store.FindManagedCertificateAsync(scope, cancellationToken) : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 44, EventName = nameof(Router.EventIds.TlsChanged), Level = LogLevel.Information, Message = "TLS of {Owner} {Change}: {Source}.")]
        public static partial void Changed(ILogger logger, string owner, string change, string source);
    }
}
