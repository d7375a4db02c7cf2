using System.Globalization;
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ScoreGate.Testing;

/// <summary>
/// A real model server on loopback for tests: answers every request with JSON naming itself
/// and echoing what it received (path, headers, body), and counts requests. A request can ask it
/// to be slow (<c>x-test-delay-ms</c>), to fail (<c>x-test-status</c>) or to answer with header lines
/// (<c>x-test-echo</c>); it counts the requests it saw cancelled and the most it ever had in flight.
/// </summary>
public sealed class FakeModel : IAsyncDisposable
{
    private readonly WebApplication _app;
    public const string DelayHeader = "x-test-delay-ms";
    public const string StatusHeader = "x-test-status";
    public const string EchoHeader = "x-test-echo";

    private int _requests;
    private int _inFlight;
    private int _maxInFlight;
    private int _cancelled;
    private int _healthChecks;

    private FakeModel(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public string Url => _app.Urls.First();

    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>What <c>GET /health</c> answers: 200 while true, 503 while false. Health checks are not counted as requests.</summary>
    public bool Healthy { get; set; } = true;

    public int HealthChecks => Volatile.Read(ref _healthChecks);

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests it was ever working on at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests whose caller cancelled them while it was working on them.</summary>
    public int CancelledCount => Volatile.Read(ref _cancelled);

    /// <summary>Headers of every request received, newest last.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> ReceivedHeaders { get; } = new();

    /// <summary>Every request received in full (method, path and query, headers, body), newest last: what the model was really asked.</summary>
    public ConcurrentQueue<ReceivedRequest> ReceivedRequests { get; } = new();

    public static async Task<FakeModel> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var model = new FakeModel(app, name);
        app.Run(model.AnswerAsync);
        await app.StartAsync();
        return model;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        if (context.Request.Path == "/health")
        {
            Interlocked.Increment(ref _healthChecks);
            context.Response.StatusCode = Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            return;
        }

        Interlocked.Increment(ref _requests);
        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            ReceivedHeaders.Enqueue(headers);
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            ReceivedRequests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path.Value + context.Request.QueryString.Value, headers, body));
            if (headers.TryGetValue(DelayHeader, out var delay))
            {
                await Task.Delay(int.Parse(delay, CultureInfo.InvariantCulture), context.RequestAborted);
            }

            if (headers.TryGetValue(StatusHeader, out var status))
            {
                context.Response.StatusCode = int.Parse(status, CultureInfo.InvariantCulture);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = $"{Name} failed on purpose" }));
                return;
            }

            // Each comma-separated item of x-echo comes back as a header line of its own.
            if (headers.TryGetValue(EchoHeader, out var echo))
            {
                context.Response.Headers[EchoHeader] = echo.Split(", ");
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { model = Name, path = context.Request.Path.Value, query = context.Request.QueryString.Value, body }));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _cancelled);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One request as a <see cref="FakeModel"/> received it.</summary>
/// <param name="Method">The request method.</param>
/// <param name="Target">Path and query.</param>
/// <param name="Headers">Header values, names case-insensitive.</param>
/// <param name="Body">The whole body, as UTF-8 text.</param>
public sealed record ReceivedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body);
