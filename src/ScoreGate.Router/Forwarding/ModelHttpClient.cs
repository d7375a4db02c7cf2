using System.Diagnostics;
using System.Net;
using System.Text;

namespace ScoreGate.Router.Forwarding;

/// <summary>
/// The platform's client to models, for probes and https:// models: keep-alive connections
/// are reused, a dead model is detected by a short connect timeout instead of a hang.
/// </summary>
public static class ModelHttpClient
{
    public static HttpMessageInvoker Create() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        // The same limits as the router's own client to models.
        ConnectTimeout = Http1.ModelConnectionPool.ConnectTimeout,
        PooledConnectionIdleTimeout = Http1.ModelConnectionPool.IdleTimeout,
        // Kestrel takes UTF-8 header values from clients; without this the model call would refuse
        // them (an exception that looked like an unreachable model) instead of passing the bytes on.
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        // Model servers see the router's x-request-id; W3C trace headers are not injected per request.
        ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        // TCP as the default would connect, except instances behind a Unix socket (the inference hosts).
        ConnectCallback = ModelSockets.ConnectAsync,
    }, disposeHandler: true);
}
