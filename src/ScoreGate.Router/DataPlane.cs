using Microsoft.AspNetCore.Http;
using ScoreGate.Certificates.Acme;
using ScoreGate.Certificates.Pem;
using ScoreGate.Router.Http;
using ScoreGate.Router.Tls;

namespace ScoreGate.Router;

/// <summary>
/// Entry point of the HTTPS and HTTP listeners. HTTPS responses carry HSTS. Plain HTTP is
/// served only when <c>allowInsecureConnections=true</c> and the requested host has no
/// certificate; everything else is redirected (308) to HTTPS, so a broken certificate source
/// never turns into scoring in plaintext. ACME HTTP-01 answers come first, on either listener.
/// </summary>
public sealed class DataPlane(ScoringHandler scoring, DataPlaneOptions settings, CertificateSelector certificates, Http01ChallengeResponder acme)
{
    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value;
        if (path is not null && path.StartsWith(Http01ChallengeResponder.PathPrefix, StringComparison.Ordinal))
        {
            return AnswerAcmeChallenge(context, path[Http01ChallengeResponder.PathPrefix.Length..]);
        }

        if (context.Request.IsHttps)
        {
            context.Response.Headers[RouterHeaders.StrictTransportSecurity] = RouterHeaders.StrictTransportSecurityValue;
            return scoring.HandleAsync(context);
        }

        var servesPlainHttp = settings.AllowInsecureConnections && certificates.Current.Find(context.Request.Host.Host.Trim('[', ']')) is null;
        return servesPlainHttp ? scoring.HandleAsync(context) : RedirectToHttps(context);
    }

    /// <summary>RFC 8555 8.3: the key authorization as the body, or 404 when no validation is pending for the token.</summary>
    private async Task AnswerAcmeChallenge(HttpContext context, string token)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || await acme.AnswerAsync(token, context.RequestAborted) is not { } answer)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.WriteAsync(answer, context.RequestAborted);
    }

    /// <summary>
    /// 308 to the same path on HTTPS, on a host the router serves: one its certificates cover
    /// (exact or wildcard) or sslCname. Any other Host would make the router an open redirect to
    /// a name it cannot vouch for, so it gets 400 saying which name to use instead.
    /// </summary>
    private Task RedirectToHttps(HttpContext context)
    {
        var request = context.Request;
        // HostString.Host drops the port and keeps IPv6 brackets.
        var host = request.Host.HasValue ? request.Host.Host : settings.SslCname;
        var port = settings.HttpsPort == 443 ? string.Empty : $":{settings.HttpsPort}";
        if (host is null || !Serves(host))
        {
            var use = settings.SslCname is { } cname ? $"https://{cname}{port}/" : "https:// with a host name the router's certificate covers";
            return ErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"Host '{host}' is not a name this router serves over HTTPS, so it is not redirected there. Use {use}.");
        }

        context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
        context.Response.Headers.Location = $"https://{host}{port}{request.PathBase}{request.Path}{request.QueryString}";
        return Task.CompletedTask;
    }

    private bool Serves(string host)
    {
        if (string.Equals(host, settings.SslCname, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var name = host.Trim('[', ']');
        return certificates.Current.Find(name) is { } binding && HostNameMatcher.Covers(binding.Certificate.Leaf, name);
    }
}
