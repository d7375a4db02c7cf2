using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ScoreGate.Router.Forwarding;

/// <summary>Which headers cross the router, in each direction.</summary>
internal static class ForwardedHeaders
{
    /// <summary>
    /// Hop-by-hop headers (RFC 9110 §7.6.1) never cross a proxy. Authorization stays at the
    /// router: the model never sees the caller's key. X-Forwarded-* are set by the router, not
    /// copied, so a client cannot spoof its address to the model.
    /// </summary>
    private static readonly HashSet<string> NotForwardedToModel = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, "Proxy-Connection", HeaderNames.ProxyAuthenticate,
        HeaderNames.ProxyAuthorization, HeaderNames.TE, HeaderNames.Trailer, HeaderNames.TransferEncoding,
        HeaderNames.Upgrade, HeaderNames.Host, HeaderNames.Authorization,
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
    };

    private static readonly HashSet<string> NotReturnedToClient = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, "Proxy-Connection", HeaderNames.ProxyAuthenticate,
        HeaderNames.TE, HeaderNames.Trailer, HeaderNames.TransferEncoding, HeaderNames.Upgrade,
        HeaderNames.StrictTransportSecurity,
    };

    public static void CopyToModel(HttpContext context, HttpRequestMessage request)
    {
        foreach (var (name, values) in context.Request.Headers)
        {
            if (NotForwardedToModel.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        request.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", context.Request.Scheme);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", context.Request.Host.Value);
    }

    public static void CopyToClient(HttpResponseMessage response, HttpContext context)
    {
        var headers = context.Response.Headers;
        foreach (var header in response.Headers)
        {
            if (!NotReturnedToClient.Contains(header.Key))
            {
                headers.Append(header.Key, header.Value.ToArray());
            }
        }

        foreach (var header in response.Content.Headers)
        {
            headers.Append(header.Key, header.Value.ToArray());
        }
    }
}
