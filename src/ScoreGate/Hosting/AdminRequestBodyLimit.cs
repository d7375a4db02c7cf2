using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ScoreGate.Router.Http;

namespace ScoreGate.Hosting;

/// <summary>
/// Bounds admin API request bodies at <see cref="MaxBytes"/>: the largest real one (a
/// deployment with many environment variables, or a PEM chain uploaded with <c>tls enable
/// --upload</c>) is a few tens of kilobytes, and the admin API holds a body whole while it
/// parses it. The body is read here, up to the limit, so an over-limit one is refused with a
/// JSON message whether it has a Content-Length or is chunked, before any handler sees it.
/// </summary>
internal static class AdminRequestBodyLimit
{
    public const long MaxBytes = 1_048_576;

    public const string TooLargeMessage =
        "The admin request body is larger than 1048576 bytes (1 MiB), the most the admin API accepts. " +
        "Send less at once: endpoint and deployment definitions are a few kilobytes.";

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!(context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false))
        {
            await next(context);
            return;
        }

        if (context.Request.ContentLength > MaxBytes)
        {
            await RefuseAsync(context);
            return;
        }

        var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                if (body.Length + read > MaxBytes)
                {
                    await RefuseAsync(context);
                    return;
                }

                body.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException)
        {
            CloseAfterAnswer(context);
            await ErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest,
                "The admin request body could not be read: it is malformed (bad chunked encoding, or shorter than its Content-Length). Send it again whole.");
            return;
        }

        body.Position = 0;
        context.Request.Body = body;
        await next(context);
    }

    /// <summary>The rest of the body is not read: close the connection after the answer (HTTP/1.x; HTTP/2 has no Connection header).</summary>
    private static void CloseAfterAnswer(HttpContext context)
    {
        if (HttpProtocol.IsHttp10(context.Request.Protocol) || HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }
    }

    private static Task RefuseAsync(HttpContext context)
    {
        CloseAfterAnswer(context);
        return ErrorResponse.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, TooLargeMessage);
    }
}
