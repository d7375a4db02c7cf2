using Microsoft.AspNetCore.Http;
using ScoreGate.Router.Forwarding.Http1;

namespace ScoreGate.Router.Forwarding;

/// <summary>Sends one request to one model instance: http:// models through the router's own client, https:// ones through the platform's.</summary>
public sealed class ModelForwarder(Http1Forwarder http, HttpsModelForwarder https)
{
    /// <param name="context">The client's request.</param>
    /// <param name="target">The model instance's URL for this request.</param>
    /// <param name="requestTimeout">The deployment's request_timeout_ms.</param>
    /// <param name="clientBody">The client's body as the router reads it, which tells a failure on the client's side from one on the model's; null without a body.</param>
    public Task<ForwardResult> ForwardAsync(HttpContext context, Uri target, TimeSpan requestTimeout, ClientBodyStream? clientBody)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Scheme == Uri.UriSchemeHttp
            ? http.ForwardAsync(context, target, requestTimeout, clientBody)
            : https.ForwardAsync(context, target, requestTimeout, clientBody);
    }
}
