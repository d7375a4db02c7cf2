using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Managed;
using ScoreGate.ControlPlane.Processes;
using ScoreGate.ControlPlane.Secrets;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Forwarding;
using ScoreGate.Router.Metrics;
using ScoreGate.Router.Routing;
using ScoreGate.ControlPlane.Tls;
using ScoreGate.ControlPlane.Tokens;
using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Api;

/// <summary>
/// The admin API: JSON over HTTP on <c>adminUrl</c>, guarded by the admin token. Every change
/// goes through <see cref="EndpointService"/> and applies to the running router at once.
/// </summary>
public static class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder routes, int adminPort)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var host = $"*:{adminPort}";
        // 503 while degraded, so a monitor needs no JSON to notice; the router still serves meanwhile.
        // An OpenID Connect provider outage is shown but keeps 200: cached keys still verify tokens, and every other endpoint is unaffected.
        routes.MapGet("/healthz", (HttpContext context, RouteTableHolder table, StoreHealth store) => store.Current is { } outage
            ? AdminJson.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new HealthView("degraded", table.Current.Revision, store.Description,
                $"Degraded: the store ({store.Description}) {outage.Problem} (since {outage.Since:u}). Still serving revision {table.Current.Revision}; changes wait until it is back.", OidcHealth(context)))
            : AdminJson.WriteAsync(context, StatusCodes.Status200OK, new HealthView("ok", table.Current.Revision, store.Description, Oidc: OidcHealth(context)))).RequireHost(host);

        // Prometheus scrapes without a token: the listener is loopback only, and metrics carry no secrets.
        routes.MapGet("/metrics", (HttpContext context, PrometheusCollector metrics) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            return context.Response.WriteAsync(metrics.Scrape(), context.RequestAborted);
        }).RequireHost(host);

        var api = routes.MapGroup("/api").RequireHost(host).AddEndpointFilter(RequireAdminToken).AddEndpointFilter(StoreUnavailable);
        api.MapGet("/endpoints", async (HttpContext context, EndpointService service, ScoringUris uris) =>
            await AdminJson.WriteAsync(context, StatusCodes.Status200OK, (await service.ListEndpointsAsync(context.RequestAborted)).Select(e => View(e, uris)).ToList()));
        api.MapPost("/endpoints", async (HttpContext context, EndpointService service, ScoringUris uris) =>
        {
            if (await AdminJson.ReadAsync<CreateEndpointRequest>(context) is { } body)
            {
                await RespondAsync(context, await service.CreateEndpointAsync(body.Name, body.AuthMode, new EndpointDetails(body.Description, body.Tags ?? new Dictionary<string, string>(), new Dictionary<string, int>()) { Properties = body.Properties ?? new Dictionary<string, string>(), PublicNetworkAccess = body.PublicNetworkAccess, AllowedCallers = Change(body.AllowedCallers)?.ApplyTo(null) }, context.RequestAborted), e => View(e, uris), StatusCodes.Status201Created);
            }
        });
        api.MapGet("/endpoints/{name}", async (HttpContext context, string name, EndpointService service, ScoringUris uris) =>
            await RespondAsync(context, await service.GetEndpointAsync(name, context.RequestAborted), e => View(e, uris)));
        api.MapMethods("/endpoints/{name}", [HttpMethods.Patch], async (HttpContext context, string name, EndpointService service, ScoringUris uris) =>
        {
            if (await AdminJson.ReadAsync<UpdateEndpointRequest>(context) is { } body)
            {
                var update = new EndpointUpdate(body.Traffic, body.MirrorTraffic, body.Description, body.Tags, body.AuthMode, body.Properties, body.PublicNetworkAccess, Change(body.AllowedCallers));
                await RespondAsync(context, await service.UpdateEndpointAsync(name, update, context.RequestAborted), e => View(e, uris));
            }
        });
        api.MapDelete("/endpoints/{name}", async (HttpContext context, string name, EndpointService service, ScoringUris uris) =>
            await RespondAsync(context, await service.DeleteEndpointAsync(name, context.RequestAborted), e => View(e, uris)));

        // POST, not GET: keys must not end up in caches or access logs of anything in between.
        // What the endpoint takes, as Azure ML's get-credentials: keys for key auth, a token for aml_token.
        api.MapPost("/endpoints/{name}/credentials", async (HttpContext context, string name, EndpointService service, TokenService tokens) =>
        {
            var found = await service.GetEndpointAsync(name, context.RequestAborted);
            switch (found.Value?.AuthMode)
            {
                case EndpointAuthMode.AmlToken:
                    await RespondAsync(context, await tokens.GetTokenAsync(found.Value.Name, context.RequestAborted), t => t);
                    break;
                case EndpointAuthMode.AadToken:
                    await AdminJson.WriteErrorAsync(context, StatusCodes.Status400BadRequest, TokenService.AadTokenHasNoRouterCredentials(found.Value.Name), "auth_mode");
                    break;
                case EndpointAuthMode.None:
                    await AdminJson.WriteErrorAsync(context, StatusCodes.Status400BadRequest,
                        $"Endpoint '{found.Value.Name}' uses auth_mode none: it has no credentials, and scoring requests need no Authorization header. " +
                        $"To require keys, run 'scoregate endpoint update --name {found.Value.Name} --auth-mode key'.", "auth_mode");
                    break;
                default:
                    await RespondAsync(context, found, e => new Credentials(e.PrimaryKey, e.SecondaryKey));
                    break;
            }
        });
        api.MapPost("/endpoints/{name}/token", async (HttpContext context, string name, TokenService tokens) =>
            await RespondAsync(context, await tokens.GetTokenAsync(name, context.RequestAborted), t => t));
        api.MapPost("/endpoints/{name}/regenerate-keys", async (HttpContext context, string name, EndpointService service) =>
        {
            if (await AdminJson.ReadAsync<RegenerateKeysRequest>(context) is { } body)
            {
                await RespondAsync(context, await service.RegenerateKeyAsync(name, body.KeyType, context.RequestAborted), e => new Credentials(e.PrimaryKey, e.SecondaryKey));
            }
        });

        // TLS of the router (/api/tls) and of one endpoint (/api/endpoints/{name}/tls), verbs as in the CLI.
        foreach (var (prefix, endpointOf) in new (string, Func<HttpContext, string?>)[]
        {
            ("/tls", _ => null),
            ("/endpoints/{name}/tls", context => (string?)context.Request.RouteValues["name"]),
        })
        {
            api.MapGet(prefix, async (HttpContext context, TlsService tls) =>
                await RespondAsync(context, await tls.ShowAsync(endpointOf(context), context.RequestAborted), v => v));
            api.MapPost($"{prefix}/enable", (HttpContext context, TlsService tls) => EnableAsync(context, tls, endpointOf(context), replace: false));
            api.MapPost($"{prefix}/update", (HttpContext context, TlsService tls) => EnableAsync(context, tls, endpointOf(context), replace: true));
            api.MapPost($"{prefix}/disable", async (HttpContext context, TlsService tls) =>
                await RespondAsync(context, await tls.DisableAsync(endpointOf(context), context.RequestAborted), v => v));
            api.MapPost($"{prefix}/renew", async (HttpContext context, TlsService tls) =>
                await RespondAsync(context, await tls.RenewAsync(endpointOf(context), context.RequestAborted), v => v));
        }

        // DNS of generated names: /api/dns for the router's, /api/endpoints/{name}/dns for an endpoint's.
        foreach (var (prefix, endpointOf) in new (string, Func<HttpContext, string?>)[]
        {
            ("/dns", _ => null),
            ("/endpoints/{name}/dns", context => (string?)context.Request.RouteValues["name"]),
        })
        {
            api.MapGet(prefix, async (HttpContext context, DnsService dns) =>
                await RespondAsync(context, await dns.ShowAsync(endpointOf(context), context.RequestAborted), v => v));
            api.MapGet($"{prefix}/verify", async (HttpContext context, DnsService dns) =>
                await RespondAsync(context, await dns.VerifyAsync(endpointOf(context), context.RequestAborted), v => v));
        }

        api.MapGet("/endpoints/{name}/deployments", async (HttpContext context, string name, EndpointService service, RouteTableHolder routes) =>
            await RespondAsync(context, await service.ListDeploymentsAsync(name, context.RequestAborted), list => list.Select(d => View(d, routes)).ToList()));
        api.MapPost("/endpoints/{name}/deployments", async (HttpContext context, string name, EndpointService service, RouteTableHolder routes) =>
        {
            if (await AdminJson.ReadAsync<CreateDeploymentRequest>(context) is { } body)
            {
                await RespondAsync(context, await service.CreateDeploymentAsync(name, body.Name, body.Urls, body.RequestSettings, body.Details, context.RequestAborted), d => View(d, routes), StatusCodes.Status201Created);
            }
        });
        api.MapGet("/endpoints/{name}/deployments/{deployment}/logs", async (HttpContext context, string name, string deployment, EndpointService service, ModelProcessSupervisor processes) =>
        {
            var lines = int.TryParse(context.Request.Query["lines"], out var count) && count > 0 ? Math.Min(count, ProcessLog.MaxLines) : 200;
            await RespondAsync(context, await service.GetDeploymentAsync(name, deployment, context.RequestAborted), d => new DeploymentLogView(
                d.Details.Process is null ? [] : processes.LogOf(d.EndpointName, d.Name)?.Tail(lines) ?? [],
                d.Details.Process is null ? "This deployment's model servers run elsewhere (backend.urls): their logs are where they run." : null));
        });
        api.MapGet("/endpoints/{name}/deployments/{deployment}", async (HttpContext context, string name, string deployment, EndpointService service, RouteTableHolder routes) =>
            await RespondAsync(context, await service.GetDeploymentAsync(name, deployment, context.RequestAborted), d => View(d, routes)));
        api.MapMethods("/endpoints/{name}/deployments/{deployment}", [HttpMethods.Patch], async (HttpContext context, string name, string deployment, EndpointService service, RouteTableHolder routes) =>
        {
            if (await AdminJson.ReadAsync<UpdateDeploymentRequest>(context) is { } body)
            {
                await RespondAsync(context, await service.UpdateDeploymentAsync(name, deployment, body.Urls, body.RequestSettings, body.Details, context.RequestAborted), d => View(d, routes));
            }
        });
        api.MapDelete("/endpoints/{name}/deployments/{deployment}", async (HttpContext context, string name, string deployment, EndpointService service, RouteTableHolder routes) =>
            await RespondAsync(context, await service.DeleteDeploymentAsync(name, deployment, context.RequestAborted), d => View(d, routes)));
    }

    private static async Task EnableAsync(HttpContext context, TlsService tls, string? endpointName, bool replace)
    {
        if (await AdminJson.ReadAsync<TlsRequest>(context) is { } body)
        {
            await RespondAsync(context, await tls.EnableAsync(endpointName, body, replace, context.RequestAborted), v => v);
        }
    }

    /// <summary>
    /// A store that fails fails the call whole (each write is one transaction), with 503 and what
    /// to do, instead of a bare 500: unreachable (PostgreSQL down) or unwritable (disk full, file
    /// damaged or read-only). The router is marked degraded with the cause until a later change
    /// goes through, so /healthz, 'scoregate status' and the metrics tell the truth meanwhile.
    /// </summary>
    private static async ValueTask<object?> StoreUnavailable(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var health = context.RequestServices.GetService(typeof(StoreHealth)) as StoreHealth;
        try
        {
            var result = await next(invocation);
            if (!HttpMethods.IsGet(context.Request.Method) && context.Response.StatusCode < 400 && health?.RecoveredFromWriteFailure() == true)
            {
                var logger = Logger(context);
                AdminLog.StoreWritable(logger, health.Description);
            }

            return result;
        }
        catch (System.Data.Common.DbException error) when (!context.RequestAborted.IsCancellationRequested)
        {
            var description = health?.Description ?? "unknown";
            var problem = error.IsTransient ? $"cannot be reached: {error.Message.TrimEnd('.')}" : $"failed: {error.Message.TrimEnd('.')}";
            var time = context.RequestServices.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
            if (health?.Failed(problem, time.GetUtcNow(), writeFailure: !error.IsTransient) == true)
            {
                var logger = Logger(context);
                AdminLog.StoreFailed(logger, description, problem);
            }

            await AdminJson.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, error.IsTransient
                ? $"The store ({description}) {problem}. Nothing was changed, and the router keeps serving what it served. Try again when the store is back ('scoregate status' tells)."
                : $"The store ({description}) {problem}. Nothing was changed, and the router keeps serving what it served. Fix the store (free disk space, file permissions, or restore a damaged file from a backup), then try again; 'scoregate status' says degraded until a change goes through.");
            return Results.Empty;
        }
    }

    private static Microsoft.Extensions.Logging.ILogger Logger(HttpContext context) =>
        context.RequestServices.GetService(typeof(Microsoft.Extensions.Logging.ILogger<StoreHealth>)) as Microsoft.Extensions.Logging.ILogger
            ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private static async ValueTask<object?> RequireAdminToken(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var token = context.RequestServices.GetService(typeof(AdminToken)) as AdminToken;
        var presented = Router.Auth.BearerToken.From(context.Request.Headers.Authorization);
        if (token is null || !token.Matches(presented))
        {
            await AdminJson.WriteErrorAsync(context, StatusCodes.Status401Unauthorized,
                "The admin API needs 'Authorization: Bearer <token>' with the token in admin.token under the router's stateDir.");
            return Results.Empty;
        }

        return await next(invocation);
    }

    private static Task RespondAsync<T>(HttpContext context, OperationResult<T> result, Func<T, object> view, int successStatus = StatusCodes.Status200OK)
    {
        if (result.Error is { } error)
        {
            var status = error.Kind switch
            {
                OperationErrorKind.NotFound => StatusCodes.Status404NotFound,
                OperationErrorKind.Conflict or OperationErrorKind.ChangedMeanwhile => StatusCodes.Status409Conflict,
                OperationErrorKind.Upstream => StatusCodes.Status502BadGateway,
                _ => StatusCodes.Status400BadRequest,
            };
            return AdminJson.WriteErrorAsync(context, status, error.Message, error.Field);
        }

        return AdminJson.WriteAsync(context, successStatus, view(result.Value!));
    }

    private static EndpointView View(EndpointRecord endpoint, ScoringUris uris) => new(
        endpoint.Name,
        EndpointAuthModes.Name(endpoint.AuthMode),
        endpoint.Traffic,
        endpoint.Details.MirrorTraffic,
        endpoint.Details.Description,
        endpoint.Details.Tags,
        uris.Score(endpoint.Name),
        uris.Swagger(endpoint.Name),
        endpoint.CreatedAt,
        endpoint.UpdatedAt,
        endpoint.Details.Properties,
        endpoint.Details.PublicNetworkAccess ?? PublicNetworkAccess.Enabled,
        endpoint.Details.AllowedCallers);

    /// <summary>Null when oidcAuthority is not set.</summary>
    private static OidcHealthView? OidcHealth(HttpContext context)
    {
        if (context.RequestServices.GetService(typeof(OidcKeySource)) is not OidcKeySource source)
        {
            return null;
        }

        var keys = source.Current;
        var keyIds = keys?.Keys.Select(k => k.KeyId).ToList() ?? [];
        return source.Outage is { } outage
            ? new OidcHealthView(source.Settings.Issuer, "problem", keyIds,
                $"The provider's metadata {outage.Problem} (since {outage.Since:u}). {(keys is null ? "No signing key was ever fetched: aad_token endpoints answer 503." : $"The {keyIds.Count} cached signing key(s) keep verifying tokens; a rotated key is not learnt until it is back.")}",
                keys?.FetchedAt)
            : new OidcHealthView(source.Settings.Issuer, keys is null ? "pending" : "ok", keyIds, FetchedAt: keys?.FetchedAt);
    }

    private static AllowedCallersChange? Change(AllowedCallersRequest? request) =>
        request is null ? null : new AllowedCallersChange(request.Roles, request.Scopes, request.Subjects);

    /// <summary>The stored deployment, with its instances as the routes this router serves see them.</summary>
    private static DeploymentView View(DeploymentRecord deployment, RouteTableHolder routes) => new(
        deployment.Name, deployment.EndpointName, deployment.Urls, deployment.RequestSettings, deployment.Details, deployment.CreatedAt, deployment.UpdatedAt,
        [.. (routes.Current.Find(deployment.EndpointName)?.FindDeployment(deployment.Name)?.Instances ?? []).Select(i => new InstanceView(ModelSockets.Describe(i.Url), i.Ready, i.Health.Problem))]);
}
