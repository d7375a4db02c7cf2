using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Forwarding;

/// <summary>
/// Sends one scoring request to one model instance and relays the answer, streaming bodies
/// both ways. Expected failures are results, not exceptions (STYLE.md §7):
/// <code>
///   1. build the outgoing request (headers filtered, body streamed, not buffered)
///   2. send it, bounded by the deployment's timeout and the client's own cancellation
///   3. relay status and headers; from here on the response has started
///   4. relay the body; a failure now can only abort the client's connection
/// </code>
/// </summary>
public sealed class ModelForwarder(HttpMessageInvoker models)
{
    public async Task<ForwarderError> ForwardAsync(HttpContext context, Uri instance, string modelPath, DeploymentRoute deployment)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(deployment);

        // :: Step 1
        // Parse returns the shared instances for known methods: no allocation per request.
        using var request = new HttpRequestMessage(HttpMethod.Parse(context.Request.Method), ModelUri(instance, modelPath, context.Request.QueryString))
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
        timeout.CancelAfter(deployment.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await models.SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return ForwarderError.ClientGone;
        }
        catch (OperationCanceledException)
        {
            return ForwarderError.Timeout;
        }
        catch (HttpRequestException)
        {
            return ForwarderError.Unreachable;
        }

        using (response)
        {
            // :: Step 3
            context.Response.StatusCode = (int)response.StatusCode;
            ForwardedHeaders.CopyToClient(response, context);

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

    private static Uri ModelUri(Uri instance, string modelPath, QueryString query) =>
        new(string.Concat(instance.AbsoluteUri.AsSpan().TrimEnd('/'), modelPath, query.Value));
}
