using System.Diagnostics;
using System.Net;

namespace ScoreGate.Router.Forwarding;

/// <summary>
/// The one connection pool to all models, shared by every request: keep-alive connections
/// are reused, a dead model is detected by a short connect timeout instead of a hang.
/// </summary>
public static class ModelHttpClient
{
    /// <summary>On a healthy network a model answers a connect in milliseconds; longer means it is gone.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public static HttpMessageInvoker Create() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = ConnectTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        // Model servers see the router's x-request-id; W3C trace headers are not injected per request.
        ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
    }, disposeHandler: true);
}
