using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using ScoreGate.Router.Auth;
using ScoreGate.Router.Forwarding;
using ScoreGate.Router.Http;
using ScoreGate.Router.Metrics;
using ScoreGate.Router.Routing;

namespace ScoreGate.Router;

/// <summary>
/// Serves one data-plane request: liveness, or scoring (route, authenticate, pick a
/// deployment and an instance, forward) with the statuses of DESIGN.md §4.
/// </summary>
public sealed partial class ScoringHandler(
    RouteTableHolder routes,
    ModelForwarder forwarder,
    TrafficMirror trafficMirror,
    DataPlaneOptions settings,
    RouterMetrics metrics,
    ILogger<ScoringHandler> logger,
    OidcTokenValidator? oidc = null)
{
    /// <summary>The <see cref="HttpContext.Items"/> key of the token's subject, for the access log.</summary>
    private static readonly object SubjectItem = new();

    private const int MaxRequestIdLength = 128;

    /// <summary>nginx's status for a client that went away before its answer; only metrics and the access log show it.</summary>
    private const int ClientClosedRequest = 499;

    private readonly int _timeoutStatus = settings.CompatibilityProfile == CompatibilityProfile.Kubernetes
        ? StatusCodes.Status504GatewayTimeout
        : StatusCodes.Status408RequestTimeout;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        ApplyRequestIds(context);
        var request = context.Request;
        if (request.Path.Value == "/" && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            // Liveness probes come often and say nothing about scoring: not counted, not logged.
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("Healthy", context.RequestAborted);
            return;
        }

        var (endpoint, deployment) = await ScoreAsync(context);
        var status = context.RequestAborted.IsCancellationRequested ? ClientClosedRequest : context.Response.StatusCode;
        var elapsed = Stopwatch.GetElapsedTime(started);
        // Only names of configured endpoints become labels: unknown names from callers would grow the series without bound.
        metrics.RequestAnswered(endpoint?.Name, deployment?.Name, status, elapsed);
        if (settings.AccessLog)
        {
            LogAccess(context, status, elapsed, endpoint, deployment);
        }
    }

    /// <summary>Routes, authenticates, admits and forwards; returns what it got to, for metrics.</summary>
    private async Task<(EndpointRoute? Endpoint, DeploymentRoute? Deployment)> ScoreAsync(HttpContext context)
    {
        var request = context.Request;

        // :: Which endpoint: by v1 path, or by the endpoint's own host name.
        var table = routes.Current;
        var byPath = ScoringPath.TryParse(request.Path.Value, out var endpointName, out var modelPath);
        var endpoint = byPath ? table.Find(endpointName)
            : ScoringPath.TryParseHostPath(request.Path.Value, out modelPath) ? table.FindByHostName(request.Host.Host)
            : null;
        if (!byPath && endpoint is null)
        {
            await ErrorResponse.WriteAsync(context, StatusCodes.Status404NotFound,
                "No such URI. Score with POST /api/v1/service/<endpoint>/score (or POST /score on an endpoint's own host name); the model's schema is at GET .../swagger.json.");
            return default;
        }

        var allowed = modelPath == ScoringPath.Score ? HttpMethods.Post : HttpMethods.Get;
        if (!string.Equals(request.Method, allowed, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.Allow = allowed;
            await ErrorResponse.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, $"Use {allowed} for {request.Path.Value}.");
            return (endpoint, null);
        }

        if (endpoint is null)
        {
            await ErrorResponse.WriteAsync(context, StatusCodes.Status404NotFound, $"Endpoint '{endpointName}' does not exist.");
            return default;
        }

        if (endpoint.PrivateOnly && await RefusedAsPublicAsync(context, endpoint))
        {
            return (endpoint, null);
        }

        if (ClientCertificateRequirement.Refusal(context, endpoint) is { } certificateRefusal)
        {
            metrics.AuthFailed(endpoint.Name, "client_certificate");
            await ErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, certificateRefusal);
            return (endpoint, null);
        }

        if (await AuthenticateAsync(context, table, endpoint) is { } refusal)
        {
            var missing = request.Headers.Authorization.Count == 0;
            metrics.AuthFailed(endpoint.Name, missing ? "missing" : refusal.Reason);
            // RFC 6750 §3: no error code when no credential was sent. A 503 (the provider's keys unknown) challenges nobody.
            var status = missing ? StatusCodes.Status401Unauthorized : refusal.Status;
            if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
            {
                context.Response.Headers.WWWAuthenticate = missing || refusal.Challenge is null ? "Bearer" : refusal.Challenge;
            }

            await ErrorResponse.WriteAsync(context, status, missing ? refusal.WhenMissing : refusal.Message);
            return (endpoint, null);
        }

        var deployment = PickDeployment(request, endpoint, out var pinned, out var notFound);
        if (deployment is null)
        {
            await ErrorResponse.WriteAsync(context, StatusCodes.Status404NotFound, notFound!);
            return (endpoint, null);
        }

        context.Response.Headers[RouterHeaders.ModelDeployment] = deployment.Name;

        // :: The body's start arrives before the request takes a model slot, so a client that
        // trickles its body waits alone and holds none (ClientBodyStream.PrebufferBytes).
        ClientBodyStream? body = null;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false)
        {
            if (request.ContentLength > settings.MaxRequestBodyBytes)
            {
                // Refused on its Content-Length alone: nothing of it is read, nothing reaches the model.
                await RefuseClientBodyAsync(context, endpoint, ClientBodyRefusal.TooLarge(settings), "Content-Length over the limit");
                return (endpoint, deployment);
            }

            body = new ClientBodyStream(request.Body);
            if (!await body.PrebufferAsync(request.ContentLength, context.RequestAborted))
            {
                await RefuseClientBodyAsync(context, endpoint, ClientBodyRefusal.For(body.Failure!, settings), body.Failure!.Message);
                return (endpoint, deployment);
            }

            request.Body = body;
        }

        var admission = await deployment.Pool.AdmitAsync(context.RequestAborted);
        if (admission.Lease is not { } lease)
        {
            await RefuseAsync(context, endpoint, deployment, admission.Refusal);
            return (endpoint, deployment);
        }

        using (lease)
        {
            // Pinned requests are a caller's test of one deployment: never copied.
            if (!pinned && endpoint.Mirror is { } mirror && Random.Shared.Next(100) < endpoint.MirrorPercent)
            {
                try
                {
                    await trafficMirror.MirrorAsync(context, endpoint.Name, mirror, modelPath);
                }
                catch (Exception error) when (body?.Failure is not null && error is IOException or OperationCanceledException)
                {
                    // The copy reads the whole body first; a failure doing so is the client's.
                    await RefuseClientBodyAsync(context, endpoint, ClientBodyRefusal.For(body.Failure, settings), body.Failure.Message);
                    return (endpoint, deployment);
                }
            }

            await ForwardAsync(context, endpoint, deployment, lease.Instance, modelPath, body);
        }

        return (endpoint, deployment);
    }

    private async Task ForwardAsync(HttpContext context, EndpointRoute endpoint, DeploymentRoute deployment, ModelInstance instance, string modelPath, ClientBodyStream? body)
    {
        var timeout = deployment.Limits.RequestTimeout;
        var (outcome, detail) = await forwarder.ForwardAsync(context, instance.TargetFor(modelPath, context.Request.QueryString.Value), timeout, body);
        if (outcome is ForwarderError.Unreachable)
        {
            instance.ReportConnectionFailure(Environment.TickCount64);
        }
        else if (outcome is ForwarderError.None or ForwarderError.Timeout)
        {
            instance.ReportAnswer();
        }

        switch (outcome)
        {
            case ForwarderError.Unreachable:
                Log.ModelUnreachable(logger, endpoint.Name, deployment.Name, instance.Url);
                await ErrorResponse.WriteAsync(context, StatusCodes.Status502BadGateway, $"Deployment '{deployment.Name}' could not be reached.");
                break;
            case ForwarderError.Timeout:
                Log.ModelTimedOut(logger, endpoint.Name, deployment.Name, (long)timeout.TotalMilliseconds);
                await ErrorResponse.WriteAsync(context, _timeoutStatus,
                    $"Deployment '{deployment.Name}' did not answer within its request timeout of {(long)timeout.TotalMilliseconds} ms (request_settings.request_timeout_ms).");
                break;
            case ForwarderError.InvalidResponse:
                Log.ModelResponseInvalid(logger, endpoint.Name, deployment.Name, detail ?? string.Empty);
                await ErrorResponse.WriteAsync(context, StatusCodes.Status502BadGateway,
                    $"Deployment '{deployment.Name}' answered with a response that is not valid HTTP/1.1; nothing of it was passed on. The router log says what was wrong.");
                break;
            case ForwarderError.ResponseBroken:
                Log.ModelResponseBroken(logger, endpoint.Name, deployment.Name, detail ?? "the connection failed");
                context.Abort();
                break;
            case ForwarderError.ClientGone:
                Log.ClientGone(logger, endpoint.Name, deployment.Name);
                break;
            case ForwarderError.RequestBodyClient:
                // Neither an answer nor a connection failure: the instance's record is left alone.
                await RefuseClientBodyAsync(context, endpoint, ClientBodyRefusal.For(body!.Failure!, settings), body.Failure!.Message);
                break;
        }
    }

    /// <summary>A body that failed on the client's side: the client's fault, logged at Debug, answered if the answer has not started.</summary>
    private Task RefuseClientBodyAsync(HttpContext context, EndpointRoute endpoint, ClientBodyRefusal refusal, string cause)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientGone(logger, endpoint.Name, string.Empty);
            return Task.CompletedTask;
        }

        Log.ClientBodyRefused(logger, endpoint.Name, refusal.Status, cause);
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        // The rest of a bad body is not worth reading: close the connection after the answer.
        // HTTP/1.x only: HTTP/2 has no Connection header (Kestrel would drop it with a warning per request).
        if (HttpProtocol.IsHttp10(context.Request.Protocol) || HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }

        return ErrorResponse.WriteAsync(context, refusal.Status, refusal.Message);
    }

    private Task RefuseAsync(HttpContext context, EndpointRoute endpoint, DeploymentRoute deployment, AdmissionRefusal refusal)
    {
        var limits = deployment.Limits;
        switch (refusal)
        {
            case AdmissionRefusal.Busy:
                Log.DeploymentBusy(logger, endpoint.Name, deployment.Name);
                return ErrorResponse.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                    $"Deployment '{deployment.Name}' is busy: its {deployment.Instances.Count} instance(s) each take {limits.MaxConcurrentPerInstance} request(s) at a time " +
                    $"(request_settings.max_concurrent_requests_per_instance) and none came free within {(long)limits.MaxQueueWait.TotalMilliseconds} ms (max_queue_wait_ms). " +
                    "Retry with backoff, or raise instance_count or those limits.");
            case AdmissionRefusal.NoReadyInstance:
                return ErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, deployment.Instances.Count == 0
                    ? $"Deployment '{deployment.Name}' has no instance to serve the request."
                    // The probe's reason stays with the operator (deployment show, the log): a model's
                    // error text can hold paths or secrets that are not the scoring client's business.
                    : deployment.Instances.Any(i => i.Health.Problem is not null)
                        ? $"Deployment '{deployment.Name}' has no ready instance: none of its {deployment.Instances.Count} passes its probes. The endpoint's operator sees why with 'scoregate deployment show'."
                        : deployment.Readiness is { } readiness
                            ? $"Deployment '{deployment.Name}' has no ready instance yet: none of its {deployment.Instances.Count} has passed its readiness probe, which first looks {readiness.InitialDelay} s after an instance starts and then every {readiness.Period} s (readiness_probe.initial_delay and period). Retry shortly."
                            : $"Deployment '{deployment.Name}' has no ready instance: none of its {deployment.Instances.Count} passes its probes. The router log says which probe fails and why.");
            default:
                Log.ClientGone(logger, endpoint.Name, deployment.Name);
                return Task.CompletedTask;
        }
    }

    /// <summary>
    /// <c>public_network_access: disabled</c>: answers 403 unless the client (<see cref="ClientAddress"/>)
    /// is in <c>privateNetworks</c>. A client that cannot be told is refused.
    /// </summary>
    /// <returns>True when the request was refused.</returns>
    private async ValueTask<bool> RefusedAsPublicAsync(HttpContext context, EndpointRoute endpoint)
    {
        var (client, peer, unreadable) = ClientAddress.Resolve(context, settings.TrustedProxies);
        if (settings.PrivateNetworks.Contains(client))
        {
            return false;
        }

        var from = unreadable is not null
            ? $"this request came through the trusted proxy {peer}, whose X-Forwarded-For entry '{(unreadable.Length > 64 ? unreadable[..64] + "..." : unreadable)}' is not an IP address, so its client cannot be told and is refused"
            : client is null ? "this request's address is unknown"
            : Equals(client, peer) ? $"this request came from {client}, which is not in {DataPlaneSettingNames.PrivateNetworks}"
            : $"this request came from {client} (the X-Forwarded-For of the trusted proxy {peer}), which is not in {DataPlaneSettingNames.PrivateNetworks}";
        metrics.AuthFailed(endpoint.Name, "public_network");
        await ErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden,
            $"Endpoint '{endpoint.Name}' takes scoring requests only from private networks (public_network_access: disabled); {from}. " +
            $"Score from a private network, or ask the router's operator to add your network to {DataPlaneSettingNames.PrivateNetworks} or to set public_network_access: enabled on the endpoint.");
        return true;
    }

    /// <summary>Checks the caller's key or token; returns why it is refused, or null when it is accepted.</summary>
    private async ValueTask<AuthRefusal?> AuthenticateAsync(HttpContext context, RouteTable table, EndpointRoute endpoint)
    {
        var credential = BearerToken.From(context.Request.Headers.Authorization);
        var name = endpoint.Name;
        switch (endpoint.AuthMode)
        {
            case EndpointAuthMode.Key when !endpoint.Keys.Accepts(credential):
                return new AuthRefusal(
                    "invalid",
                    $"Endpoint '{name}' needs a key: send 'Authorization: Bearer <key>' with its primary or secondary key (scoregate endpoint get-credentials --name {name}).",
                    $"The key given is not valid for endpoint '{name}'. Use its current primary or secondary key (scoregate endpoint get-credentials --name {name}).");
            case EndpointAuthMode.AmlToken:
                var check = await table.Tokens.CheckAsync(credential.ToString(), endpoint.TokenAudience);
                if (check == TokenCheck.Valid)
                {
                    return null;
                }

                var getToken = $"Get a token with 'scoregate endpoint get-token --name {name}'";
                var (reason, message) = check switch
                {
                    TokenCheck.Expired => ("expired", $"The token has expired (tokens last {EndpointTokens.Lifetime.TotalMinutes:0} minutes). {getToken}, and refresh it at its refreshAfterTimeUtc."),
                    TokenCheck.OtherEndpoint => ("other_endpoint", $"The token is for another endpoint, not '{name}' (or for an earlier endpoint of that name, since deleted). {getToken}."),
                    _ => ("invalid", $"The token given is not valid for endpoint '{name}' (not signed by this router, or altered). {getToken}."),
                };
                return new AuthRefusal(reason, $"Endpoint '{name}' needs a token: send 'Authorization: Bearer <token>'. {getToken}.", message);
            case EndpointAuthMode.AadToken:
                return await AuthenticateOidcAsync(context, endpoint, credential.ToString());
            default:
                return null;
        }
    }

    /// <summary>An <c>aad_token</c> endpoint: an access token of the OpenID Connect provider, then its <c>allowed_callers</c>.</summary>
    private async ValueTask<AuthRefusal?> AuthenticateOidcAsync(HttpContext context, EndpointRoute endpoint, string token)
    {
        var name = endpoint.Name;
        var whenMissing = $"Endpoint '{name}' needs an OpenID Connect access token: send 'Authorization: Bearer <token>' with a token from the router's provider (oidcAuthority).";
        if (oidc is null)
        {
            // Only an endpoint stored while oidcAuthority was set, served by a router started without it.
            return new AuthRefusal("provider_unavailable", whenMissing,
                $"Endpoint '{name}' takes OpenID Connect tokens, but this router has no oidcAuthority set, so it cannot check any. Its operator must restart it with oidcAuthority and oidcAudience.",
                StatusCodes.Status503ServiceUnavailable);
        }

        var check = await oidc.CheckAsync(token, endpoint.AllowedCallers, context.RequestAborted);
        if (check.Subject is { } subject)
        {
            context.Items[SubjectItem] = subject;
        }

        return check.Failure switch
        {
            OidcTokenFailure.None => null,
            OidcTokenFailure.NotAllowed => new AuthRefusal(check.Reason, whenMissing, $"Endpoint '{name}' refuses this caller. {check.Detail}",
                StatusCodes.Status403Forbidden, BearerChallenge("insufficient_scope", "The token lacks a role, scope or subject this endpoint requires")),
            OidcTokenFailure.ProviderUnavailable => new AuthRefusal(check.Reason, whenMissing, check.Detail, StatusCodes.Status503ServiceUnavailable),
            _ => new AuthRefusal(check.Reason, whenMissing, $"The token is not valid for endpoint '{name}'. {check.Detail}",
                StatusCodes.Status401Unauthorized, BearerChallenge("invalid_token", Describe(check.Failure))),
        };
    }

    /// <summary>RFC 6750 §3's challenge. The description is ours, fixed per failure: never text from the token.</summary>
    private static string BearerChallenge(string error, string description) => $"Bearer error=\"{error}\", error_description=\"{description}\"";

    private static string Describe(OidcTokenFailure failure) => failure switch
    {
        OidcTokenFailure.Malformed => "The credential is not a signed JWT",
        OidcTokenFailure.AlgorithmNotAllowed => "The signing algorithm is not accepted",
        OidcTokenFailure.UnknownKey => "The signing key is unknown",
        OidcTokenFailure.WrongIssuer => "The issuer is not accepted",
        OidcTokenFailure.WrongAudience => "The audience is not accepted",
        OidcTokenFailure.Expired => "The token expired",
        OidcTokenFailure.NotYetValid => "The token is not valid yet",
        _ => "The signature is invalid",
    };

    /// <param name="Reason">The metric label.</param>
    /// <param name="WhenMissing">The message when no credential was sent at all.</param>
    /// <param name="Message">The message when the credential sent is refused.</param>
    /// <param name="Status">The status when the credential sent is refused (401 unless a valid token lacks a permission: 403).</param>
    /// <param name="Challenge">The WWW-Authenticate value when the credential sent is refused; null for a bare <c>Bearer</c>.</param>
    private sealed record AuthRefusal(string Reason, string WhenMissing, string Message, int Status = StatusCodes.Status401Unauthorized, string? Challenge = null);

    private void LogAccess(HttpContext context, int status, TimeSpan elapsed, EndpointRoute? endpoint, DeploymentRoute? deployment)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var request = context.Request;
        // Re-encoded as in the URL: a decoded space or quote in the path would forge a field of the line.
        var path = request.Path.HasValue ? request.Path.ToUriComponent() : "/";
        // Values the caller chose are quoted in the message, so a quote inside them is escaped.
        var requestId = QuotedContent(request.Headers[RouterHeaders.RequestId].ToString());
        // Behind a trusted proxy, the client it names; otherwise the connection's peer.
        var resolved = ClientAddress.Resolve(context, settings.TrustedProxies);
        var client = (resolved.Client ?? resolved.Peer)?.ToString() ?? string.Empty;
        // An OpenID Connect token's oid or sub once its signature verified; never the token.
        var subject = QuotedContent(context.Items.TryGetValue(SubjectItem, out var verified) ? (string)verified! : null);
        var certificate = context.Features.Get<Tls.ClientCertificateFeature>()?.Validation;
        var certificateSubject = QuotedContent(certificate?.Subject);
        var certificateNames = QuotedContent(certificate?.SubjectAlternativeNames);
        Log.Access(logger, request.Method, path, status, elapsed.TotalMilliseconds, endpoint?.Name ?? string.Empty, deployment?.Name ?? string.Empty,
            requestId, client, subject, certificateSubject, certificateNames, certificate?.Sha256 ?? string.Empty);
    }

    /// <summary>A value for inside "..." in a text log line: backslashes and quotes escaped (the log formatter escapes control characters).</summary>
    private static string QuotedContent(string? value) =>
        string.IsNullOrEmpty(value) || value.AsSpan().IndexOfAny('"', '\\') < 0 ? value ?? string.Empty : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static DeploymentRoute? PickDeployment(HttpRequest request, EndpointRoute endpoint, out bool pinned, out string? notFound)
    {
        notFound = null;
        var header = request.Headers[RouterHeaders.ModelDeployment];
        pinned = header.Count > 0 && !string.IsNullOrEmpty(header[0]);
        if (pinned)
        {
            var deployment = endpoint.FindDeployment(header[0]!);
            if (deployment is null)
            {
                notFound = $"Deployment '{header[0]}' (from the {RouterHeaders.ModelDeployment} header) does not exist on endpoint '{endpoint.Name}'.";
            }

            return deployment;
        }

        var picked = endpoint.PickByWeight(Random.Shared.Next(100));
        if (picked is null)
        {
            notFound = $"Endpoint '{endpoint.Name}' sends no traffic to any deployment. Give one traffic: scoregate endpoint update --name {endpoint.Name} --traffic <deployment>=100";
        }

        return picked;
    }

    private static void ApplyRequestIds(HttpContext context)
    {
        var requestHeaders = context.Request.Headers;
        var responseHeaders = context.Response.Headers;
        var requestId = requestHeaders[RouterHeaders.RequestId].ToString();
        if (requestId.Length is 0 or > MaxRequestIdLength || !HeaderValue.IsSafe(requestId))
        {
            requestId = RequestId.New();
            requestHeaders[RouterHeaders.RequestId] = requestId;
        }

        responseHeaders[RouterHeaders.RequestId] = requestId;
        foreach (var echoed in (ReadOnlySpan<string>)[RouterHeaders.MsRequestId, RouterHeaders.MsClientRequestId])
        {
            var value = requestHeaders[echoed];
            // A value that cannot be a response header (a control character) is not echoed: setting it would throw.
            if (value.Count > 0 && HeaderValue.AreSafe(value))
            {
                responseHeaders[echoed] = value;
            }
        }
    }
}
