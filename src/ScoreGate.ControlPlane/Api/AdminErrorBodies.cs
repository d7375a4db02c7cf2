using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ScoreGate.ControlPlane.Api;

/// <summary>
/// Every admin answer that is an error has a JSON body, <c>{"message": "..."}</c>, like the rest of
/// the API: routes that do not exist (404), methods a route does not take (405), and failures
/// nobody expected (500, logged with the exception; the body never holds it).
/// </summary>
public static partial class AdminErrorBodies
{
    public static IApplicationBuilder UseAdminErrorBodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception error) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            Log.Failed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(nameof(AdminErrorBodies)), context.Request.Method, context.Request.Path.Value ?? "/", error);
            context.Response.Clear();
            await AdminJson.WriteErrorAsync(context, StatusCodes.Status500InternalServerError,
                $"The admin API failed on {context.Request.Method} {context.Request.Path.Value} ({error.GetType().Name}); the router log has the details. " +
                "Check the state with 'show' before retrying: the change may or may not have been made.");
            return;
        }

        if (context.Response is { StatusCode: >= 400, HasStarted: false, ContentType: null })
        {
            var request = context.Request;
            await AdminJson.WriteErrorAsync(context, context.Response.StatusCode, context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"The admin API has no {request.Path.Value}. The CLI verbs (scoregate endpoint|deployment|tls|dns|status) call the right routes; README.md lists them.",
                StatusCodes.Status405MethodNotAllowed => $"{request.Path.Value} does not take {request.Method}. The CLI verbs (scoregate endpoint|deployment|tls|dns|status) call the right routes; README.md lists them.",
                StatusCodes.Status413PayloadTooLarge => "The request body is too large for the admin API.",
                var status => $"The admin API refused {request.Method} {request.Path.Value} with status {status}.",
            });
        }
    });

    private static partial class Log
    {
        [LoggerMessage(EventId = 52, EventName = nameof(Router.EventIds.AdminCallFailed), Level = LogLevel.Error, Message = "Admin call {Method} {Path} failed.")]
        public static partial void Failed(ILogger logger, string method, string path, Exception error);
    }
}
