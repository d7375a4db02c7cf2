using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ScoreGate.SampleModel;

/// <summary>
/// The sample model's HTTP server: <c>POST /score</c> with <c>{"data": [[sepal_length, sepal_width,
/// petal_length, petal_width], ...]}</c> answers <c>{"predictions": [...], "probabilities": [[...]]}</c>;
/// <c>GET /swagger.json</c> describes that; <c>GET /</c> answers liveness.
/// </summary>
public static partial class SampleModelServer
{
    public static WebApplication Build(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var model = IrisModel.LoadEmbedded();

        app.MapGet("/", () => "Healthy");
        app.MapGet("/swagger.json", () => Results.Text(Swagger, "application/json"));
        // A RequestDelegate that writes its own answer: a lambda returning Task<IResult> is only
        // executed through reflection (RequestDelegateFactory), which Native AOT does not have (there
        // the answer was dropped: an empty 200). A variable, so the Request Delegate Generator
        // leaves this call to the RequestDelegate overload.
        RequestDelegate score = async context =>
        {
            double[][]? rows;
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                rows = ReadRows(document.RootElement);
            }
            catch (JsonException)
            {
                rows = null;
            }

            if (rows is null)
            {
                await Results.Json(new ScoreError("Send {\"data\": [[sepal_length, sepal_width, petal_length, petal_width], ...]} with 4 numbers per flower."), ScoreJson.Default.ScoreError, statusCode: 400)
                    .ExecuteAsync(context);
                return;
            }

            var probabilities = rows.Select(r => model.Predict(r)).ToArray();
            var predictions = probabilities.Select(p => model.Classes[Array.IndexOf(p, p.Max())]).ToArray();
            await Results.Json(new ScoreAnswer(predictions, [.. probabilities.Select(p => p.Select(v => Math.Round(v, 4)).ToArray())]), ScoreJson.Default.ScoreAnswer)
                .ExecuteAsync(context);
        };
        app.MapPost("/score", score);
        return app;
    }

    private static double[][]? ReadRows(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var rows = new List<double[]>();
        foreach (var row in data.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != IrisModel.FeatureCount ||
                row.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
            {
                return null;
            }

            rows.Add([.. row.EnumerateArray().Select(v => v.GetDouble())]);
        }

        return rows.Count == 0 ? null : [.. rows];
    }

    private const string Swagger = """
        {
          "swagger": "2.0",
          "info": {"title": "iris", "description": "Iris species from flower measurements (logistic regression)", "version": "1.0"},
          "schemes": ["https"],
          "consumes": ["application/json"],
          "produces": ["application/json"],
          "paths": {
            "/score": {
              "post": {
                "operationId": "RunMLService",
                "parameters": [{"name": "serviceInputDto", "in": "body", "required": true, "schema": {
                  "type": "object",
                  "properties": {"data": {"type": "array", "items": {"type": "array", "minItems": 4, "maxItems": 4,
                    "items": {"type": "number"}},
                    "example": [[5.1, 3.5, 1.4, 0.2]]}}}}],
                "responses": {"200": {"description": "Predicted species and class probabilities", "schema": {
                  "type": "object",
                  "properties": {
                    "predictions": {"type": "array", "items": {"type": "string", "enum": ["setosa", "versicolor", "virginica"]}},
                    "probabilities": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}}}}}}
              }
            }
          }
        }
        """;

    private sealed record ScoreError(string Message);

    private sealed record ScoreAnswer(string[] Predictions, double[][] Probabilities);

    /// <summary>The answers' JSON (camelCase, as ASP.NET's defaults wrote them), generated at build time.</summary>
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(ScoreError))]
    [JsonSerializable(typeof(ScoreAnswer))]
    private sealed partial class ScoreJson : JsonSerializerContext;
}
