using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
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

            if (!TryAdd(request.Headers, name, values) && request.Content is { } content)
            {
                TryAdd(content.Headers, name, values);
            }
        }

        request.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", context.Request.Scheme);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", context.Request.Host.Value);
    }

    /// <summary>
    /// Relays the model's headers as they came, without parsing them: the NonValidated views
    /// hand over the raw strings, where enumerating the headers would parse every value.
    /// </summary>
    public static void CopyToClient(HttpResponseMessage response, HttpContext context)
    {
        var headers = context.Response.Headers;
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            if (!NotReturnedToClient.Contains(name))
            {
                headers.Append(name, ToStringValues(values));
            }
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            headers.Append(name, ToStringValues(values));
        }
    }

    /// <summary>A single value, the usual case, is added as a string: no enumerator, no array.</summary>
    private static bool TryAdd(HttpHeaders headers, string name, StringValues values) =>
        values.Count == 1
            ? headers.TryAddWithoutValidation(name, values[0])
            : headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);

    private static StringValues ToStringValues(HeaderStringValues values) =>
        values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
}
