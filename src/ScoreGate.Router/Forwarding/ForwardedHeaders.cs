using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using ScoreGate.Router.Http;

namespace ScoreGate.Router.Forwarding;

/// <summary>Which headers cross the router, in each direction.</summary>
internal static class ForwardedHeaders
{
    /// <summary>
    /// Hop-by-hop headers (RFC 9110 §7.6.1) never cross a proxy. Authorization stays at the
    /// router: the model never sees the caller's key. X-Forwarded-* are set by the router, not
    /// copied, so a client cannot spoof its address to the model; for the same reason the other
    /// headers that frameworks read as the client's address or the original URL (Forwarded,
    /// X-Real-IP, X-Original-URL, X-Rewrite-URL) are dropped, since the model would trust them.
    /// </summary>
    private static readonly HashSet<string> NotForwardedToModel = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, "Proxy-Connection", HeaderNames.ProxyAuthenticate,
        HeaderNames.ProxyAuthorization, HeaderNames.TE, HeaderNames.Trailer, HeaderNames.TransferEncoding,
        HeaderNames.Upgrade, HeaderNames.Host, HeaderNames.Authorization,
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
        "Forwarded", "X-Real-IP", "X-Original-URL", "X-Rewrite-URL",

        // Set by the router alone (forwardClientCertificate), so a client cannot claim a certificate.
        ClientCertificateHeaders.Subject, ClientCertificateHeaders.SubjectAlternativeNames, ClientCertificateHeaders.Sha256,

        // The router answers 100-continue itself and has the body's start before it picks a model:
        // passing the expectation on would make the model hold the body back for nothing.
        HeaderNames.Expect,
    };

    private static readonly HashSet<string> NotReturnedToClient = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, "Proxy-Connection", HeaderNames.ProxyAuthenticate,
        HeaderNames.TE, HeaderNames.Trailer, HeaderNames.TransferEncoding, HeaderNames.Upgrade,
        HeaderNames.StrictTransportSecurity,

        // The router's own: it sets the request ids (a model that echoes them, as Azure ML's
        // inference server does, would double them), and its Date; the model's server software is
        // not the client's business (nginx hides both too).
        RouterHeaders.RequestId, RouterHeaders.MsRequestId, RouterHeaders.MsClientRequestId, HeaderNames.Server, HeaderNames.Date,
    };

    /// <summary>Whether a client's header goes on to the model: not hop-by-hop, not the router's own.</summary>
    /// <param name="connection">The client's Connection header, whose names are hop-by-hop too.</param>
    public static bool ToModel(string name, StringValues connection) =>
        !NotForwardedToModel.Contains(name) && (connection.Count == 0 || !NamedIn(connection, name));

    /// <summary>Whether a model's header goes on to the client.</summary>
    public static bool ToClient(string name) => !NotReturnedToClient.Contains(name);

    public static void CopyToModel(HttpContext context, HttpRequestMessage request)
    {
        var connection = context.Request.Headers.Connection;
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!ToModel(name, connection))
            {
                continue;
            }

            if (!TryAdd(request.Headers, name, values) && request.Content is { } content)
            {
                TryAdd(content.Headers, name, values);
            }
        }

        request.Headers.TryAddWithoutValidation("X-Forwarded-For", Http.ClientAddress.Normalize(context.Connection.RemoteIpAddress)?.ToString());
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", context.Request.Scheme);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", context.Request.Host.Value);
        if (ClientCertificateHeaders.ToForward(context) is { } certificate)
        {
            request.Headers.TryAddWithoutValidation(ClientCertificateHeaders.Subject, certificate.Subject);
            request.Headers.TryAddWithoutValidation(ClientCertificateHeaders.SubjectAlternativeNames, certificate.SubjectAlternativeNames);
            request.Headers.TryAddWithoutValidation(ClientCertificateHeaders.Sha256, certificate.Sha256);
        }
    }

    /// <summary>RFC 9110 §7.6.1: every header named in Connection is hop-by-hop for this message, whatever its name.</summary>
    private static bool NamedIn(StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            foreach (var token in (value ?? string.Empty).AsSpan().Split(','))
            {
                if (value.AsSpan()[token].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
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
                AppendIfSafe(headers, name, ToStringValues(values));
            }
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            AppendIfSafe(headers, name, ToStringValues(values));
        }
    }

    /// <summary>The model's headers from the router's own client; Content-Length is the response's, set apart.</summary>
    public static void CopyToClient(Http1.ResponseHead head, HttpContext context)
    {
        var headers = context.Response.Headers;
        foreach (var (name, value) in head.Headers)
        {
            if (NotReturnedToClient.Contains(name) || ReferenceEquals(name, HeaderNames.ContentLength) || !HeaderValue.IsSafe(value))
            {
                continue;
            }

            if (value.Length > 0)
            {
                headers.Append(name, value);
            }
            else if (!headers.ContainsKey(name))
            {
                // Append drops an empty value; an empty field is legal and some clients look for it.
                headers[name] = value;
            }
        }
    }

    /// <summary>
    /// A model may echo what a client sent it; a value Kestrel would refuse as a response header
    /// (non-ASCII, a control character) is dropped rather than turned into a 500.
    /// </summary>
    private static void AppendIfSafe(IHeaderDictionary headers, string name, StringValues values)
    {
        if (HeaderValue.AreSafe(values))
        {
            headers.Append(name, values);
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
