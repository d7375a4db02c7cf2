using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace ScoreGate.ControlPlane.Api;

/// <summary>
/// Reads admin request bodies strictly (an unknown field is an error that names it) and writes
/// errors as <c>{"message": "..."}</c>, like the data plane.
/// </summary>
public static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        // Read by people and scripts, never embedded in HTML: keep quotes and <> readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Generated at build time (AdminJsonContext): no reflection, so Native AOT serializes the same.
        TypeInfoResolver = AdminJsonContext.Default,
    };

    /// <returns>The body, or null after writing a 400 that says what is wrong with it.</returns>
    public static async Task<T?> ReadAsync<T>(HttpContext context)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var body = await JsonSerializer.DeserializeAsync(context.Request.Body, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)), context.RequestAborted);
            if (body is null)
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "The request body is empty; send a JSON object.");
            }

            return body;
        }
        catch (JsonException error)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, Describe(error));
            return null;
        }
    }

    /// <summary>Says what is wrong in the request's own terms (its fields), not .NET's (its types).</summary>
    internal static string Describe(JsonException error)
    {
        var field = error.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
        var message = error.Message;
        if (field is not null && message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"The request body has a field '{field}' that this call does not take. Remove it, or check its spelling.";
        }

        if (field is not null && message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"The request body's field '{field}' has the wrong type (for example a number where text is expected).";
        }

        return $"The request body is not valid JSON (line {(error.LineNumber ?? 0) + 1}, byte {error.BytePositionInLine ?? 0}).";
    }

    public static Task WriteAsync<T>(HttpContext context, int statusCode, T value)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        // The value's own type, as the serializer does for object: views are passed as object.
        return JsonSerializer.SerializeAsync(context.Response.Body, value, Options.GetTypeInfo(value?.GetType() ?? typeof(T)), context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int statusCode, string message) =>
        WriteAsync(context, statusCode, new Router.Http.ErrorBody(message));

    /// <summary><c>{"message": "...", "field": "auth_mode"}</c>: the file field the refusal concerns, when it concerns one.</summary>
    public static Task WriteErrorAsync(HttpContext context, int statusCode, string message, string? field) => field is null
        ? WriteErrorAsync(context, statusCode, message)
        : WriteAsync(context, statusCode, new FieldErrorBody(message, field));
}

/// <summary>An admin error about one field of an endpoint or deployment (Azure ML's file names, such as <c>traffic</c>).</summary>
public sealed record FieldErrorBody(string Message, string Field);

/// <summary>
/// Every type the admin API reads or writes, and the CLI sends: serializers generated at build
/// time, used through <see cref="AdminJson.Options"/> (whose settings apply, as before).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(Router.Http.ErrorBody))]
[JsonSerializable(typeof(FieldErrorBody))]
[JsonSerializable(typeof(CreateEndpointRequest))]
[JsonSerializable(typeof(UpdateEndpointRequest))]
[JsonSerializable(typeof(RegenerateKeysRequest))]
[JsonSerializable(typeof(CreateDeploymentRequest))]
[JsonSerializable(typeof(UpdateDeploymentRequest))]
[JsonSerializable(typeof(Tls.TlsRequest))]
[JsonSerializable(typeof(HealthView))]
[JsonSerializable(typeof(EndpointView))]
[JsonSerializable(typeof(List<EndpointView>))]
[JsonSerializable(typeof(DeploymentView))]
[JsonSerializable(typeof(List<DeploymentView>))]
[JsonSerializable(typeof(DeploymentLogView))]
[JsonSerializable(typeof(Credentials))]
[JsonSerializable(typeof(Tokens.EndpointToken))]
[JsonSerializable(typeof(TlsView))]
[JsonSerializable(typeof(Managed.DnsView))]
[JsonSerializable(typeof(Managed.DnsVerification))]
public sealed partial class AdminJsonContext : JsonSerializerContext;
