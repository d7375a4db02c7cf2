using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ScoreGate.Router.Forwarding;

/// <summary>
/// Forwards to models whose URL is https://, through the platform's HTTP client (models on
/// http://, nearly all, go through the router's own <see cref="Http1.Http1Forwarder"/>). The same
/// steps and answers; expected failures are results, not exceptions (STYLE.md §7):
/// <code>
///   1. build the outgoing request (headers filtered, body streamed, not buffered)
///   2. send it, bounded by the deployment's timeout and the client's own cancellation
///   3. relay status and headers (a model error becomes 424, or 502 under the kubernetes
///      profile, naming the model's status); from here on the response has started
///   4. relay the body; a failure now can only abort the client's connection
/// </code>
/// </summary>
public sealed class HttpsModelForwarder(HttpMessageInvoker models, ModelAnswer answer)
{
    /// <param name="context">The client's request.</param>
    /// <param name="target">The model instance's URL for this request.</param>
    /// <param name="requestTimeout">The deployment's request_timeout_ms.</param>
    /// <param name="clientBody">The client's body as the router reads it, which tells a failure on the client's side from one on the model's; null without a body.</param>
    public async Task<ForwardResult> ForwardAsync(HttpContext context, Uri target, TimeSpan requestTimeout, ClientBodyStream? clientBody)
    {
        ArgumentNullException.ThrowIfNull(context);

        // :: Step 1
        // Parse returns the shared instances for known methods: no allocation per request.
        using var request = new HttpRequestMessage(HttpMethod.Parse(context.Request.Method), target)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        ForwardedHeaders.CopyToModel(context, request);

        // :: Step 2
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(requestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await models.SendAsync(request, timeout.Token);
        }
        catch (Exception error) when (error is OperationCanceledException or HttpRequestException or IOException)
        {
            // Whose fault, in this order: a client that went away, a client whose body failed
            // (HttpClient wraps that read's exception as its own), and only then the model.
            return context.RequestAborted.IsCancellationRequested ? ForwarderError.ClientGone
                : clientBody?.Failure is not null ? ForwarderError.RequestBodyClient
                : error is OperationCanceledException ? ForwarderError.Timeout
                : ForwarderError.Unreachable;
        }

        using (response)
        {
            // :: Step 3
            ForwardedHeaders.CopyToClient(response, context);
            answer.SetStatus(context, (int)response.StatusCode, response.ReasonPhrase);

            // :: Step 4
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
                await body.CopyToAsync(context.Response.Body, timeout.Token);
                return ForwarderError.None;
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return ForwarderError.ClientGone;
            }
            catch (Exception error) when (error is OperationCanceledException or HttpRequestException or IOException)
            {
                return ForwarderError.ResponseBroken;
            }
        }
    }
}
