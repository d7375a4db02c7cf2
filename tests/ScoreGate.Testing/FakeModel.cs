using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ScoreGate.Testing;

/// <summary>
/// A real model server on loopback for tests: answers every request with JSON naming itself
/// and echoing what it received (path, headers, body), and counts requests.
/// </summary>
public sealed class FakeModel : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FakeModel(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public string Url => _app.Urls.First();

    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Headers of every request received, newest last.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> ReceivedHeaders { get; } = new();

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
        Interlocked.Increment(ref _requests);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        ReceivedHeaders.Enqueue(headers);
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { model = Name, path = context.Request.Path.Value, query = context.Request.QueryString.Value, body }));
    }

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
