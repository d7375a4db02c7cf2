using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using ScoreGate.Router.Http;

namespace ScoreGate.Router.Forwarding;

/// <summary>
/// Sends one scoring request to one model instance and relays the answer, streaming bodies
/// both ways. Expected failures are results, not exceptions (STYLE.md §7):
/// <code>
///   1. build the outgoing request (headers filtered, body streamed, not buffered)
///   2. send it, bounded by the deployment's timeout and the client's own cancellation
///   3. relay status and headers (a model error becomes 424, or 502 under the kubernetes
///      profile, naming the model's status); from here on the response has started
///   4. relay the body; a failure now can only abort the client's connection
/// </code>
/// </summary>
public sealed class ModelForwarder(HttpMessageInvoker models, DataPlaneOptions settings)
{
    private readonly int _modelErrorStatus = settings.CompatibilityProfile == CompatibilityProfile.Kubernetes
        ? StatusCodes.Status502BadGateway
        : StatusCodes.Status424FailedDependency;

    /// <param name="context">The client's request.</param>
    /// <param name="target">The model instance's URL for this request.</param>
    /// <param name="requestTimeout">The deployment's request_timeout_ms.</param>
    /// <param name="clientBody">The client's body as the router reads it, which tells a failure on the client's side from one on the model's; null without a body.</param>
    public async Task<ForwarderError> ForwardAsync(HttpContext context, Uri target, TimeSpan requestTimeout, ClientBodyStream? clientBody)
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
            var status = (int)response.StatusCode;
            ForwardedHeaders.CopyToClient(response, context);
            if (status is < 200 or > 299)
            {
                // The model's own body follows: it is what explains the error.
                context.Response.Headers[RouterHeaders.ModelErrorStatusCode] = status.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers[RouterHeaders.ModelErrorReason] = HeaderSafe(response.ReasonPhrase ?? ReasonPhrases.GetReasonPhrase(status));
                status = _modelErrorStatus;
            }

            context.Response.StatusCode = status;

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

    /// <summary>A reason phrase comes from the model: keep it to visible ASCII, as a header must be.</summary>
    private static string HeaderSafe(string reason) =>
        string.Concat(reason.Where(c => c is >= ' ' and <= '~')).Trim();
}
