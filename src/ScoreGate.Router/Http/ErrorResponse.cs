using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ScoreGate.Router.Http;

/// <summary>Writes the router's error bodies: JSON <c>{"message": "..."}</c> (DESIGN.md §4).</summary>
public static class ErrorResponse
{
    // Read by people (curl) and clients, never embedded in HTML: keep quotes and <> readable.
    private static readonly ErrorBodyContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static Task WriteAsync(HttpContext context, int statusCode, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new ErrorBody(message), Json.ErrorBody), context.RequestAborted);
    }
}

/// <summary>The error body's shape.</summary>
public sealed record ErrorBody(string Message);
