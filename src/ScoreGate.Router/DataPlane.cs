using Microsoft.AspNetCore.Http;
using ScoreGate.Router.Configuration;
using ScoreGate.Router.Http;

namespace ScoreGate.Router;

/// <summary>
/// Entry point of the HTTPS and HTTP listeners. HTTPS responses carry HSTS; plain HTTP is
/// redirected (308) to HTTPS while TLS is on, and served only when it is off.
/// </summary>
public sealed class DataPlane(ScoringHandler scoring, RouterSettings settings)
{
    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.IsHttps)
        {
            context.Response.Headers[RouterHeaders.StrictTransportSecurity] = RouterHeaders.StrictTransportSecurityValue;
            return scoring.HandleAsync(context);
        }

        return settings.TlsEnabled ? RedirectToHttps(context) : scoring.HandleAsync(context);
    }

    private Task RedirectToHttps(HttpContext context)
    {
        var request = context.Request;
        // HostString.Host drops the port and keeps IPv6 brackets.
        var host = request.Host.HasValue ? request.Host.Host : settings.SslCname ?? "localhost";

        var port = settings.HttpsPort == 443 ? string.Empty : $":{settings.HttpsPort}";
        context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
        context.Response.Headers.Location = $"https://{host}{port}{request.PathBase}{request.Path}{request.QueryString}";
        return Task.CompletedTask;
    }
}
