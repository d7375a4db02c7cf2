using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ScoreGate.ControlPlane.Api;
using ScoreGate.ControlPlane.Secrets;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.Hosting;

namespace ScoreGate.Cli;

/// <summary>
/// How CLI verbs talk to a running router: its admin API at <c>adminUrl</c>, with the token from
/// <c>stateDir/admin.token</c>. Prints the answer (JSON) to stdout, or the error to stderr.
/// </summary>
public sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;

    private AdminClient(Uri adminUrl, string token, string stateDir)
    {
        _http = new HttpClient { BaseAddress = adminUrl, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        StateDir = stateDir;
    }

    /// <summary>The admin API's address: always loopback, so the router runs on this machine.</summary>
    public Uri AdminUrl => _http.BaseAddress!;

    /// <summary>The router's stateDir (its development CA, when quickstart made one, is in it).</summary>
    public string StateDir { get; }

    /// <summary>Finds the router from --adminUrl/--stateDir, SCOREGATE_* variables or scoregate.json.</summary>
    /// <returns>The client, or null after printing why the router cannot be reached.</returns>
    public static AdminClient? Connect(IReadOnlyDictionary<string, string?> commandLine)
    {
        try
        {
            var configuration = SettingsConfiguration.Build(commandLine);
            var adminUrl = configuration[RouterSettingNames.AdminUrl] ?? RouterSettingNames.Find(RouterSettingNames.AdminUrl)!.Default!;
            var stateDir = Path.GetFullPath(configuration[RouterSettingNames.StateDir] ?? RouterSettingNames.Find(RouterSettingNames.StateDir)!.Default!);
            if (AdminUrlRule.Check(adminUrl, out var problem) is not { } url)
            {
                Console.Error.WriteLine($"error: {problem}");
                return null;
            }

            return new AdminClient(url, AdminToken.Load(stateDir).Value, stateDir);
        }
        catch (Exception error) when (error is SettingsFileException or SecretFileException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return null;
        }
    }

    /// <summary>Makes the call and prints its answer: JSON (or <see cref="AdminRequest.Format"/>'s text) to stdout, an error to stderr.</summary>
    public async Task<int> SendAsync(AdminRequest call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (await CallAsync(call, cancellationToken) is not { } answer)
        {
            return ExitCodes.Failed;
        }

        if (answer.Succeeded)
        {
            Print(call, answer);
            return ExitCodes.Success;
        }

        await Console.Error.WriteLineAsync($"error: {Describe(call, answer)}");
        return ExitCodes.Failed;
    }

    /// <summary>Makes the call and returns the answer without printing it.</summary>
    /// <returns>The answer, or null after printing that the router cannot be reached.</returns>
    public async Task<AdminAnswer?> CallAsync(AdminRequest call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var request = new HttpRequestMessage(call.Method, call.Path);
        if (call.Body is not null)
        {
            request.Content = JsonContent.Create(call.Body, AdminJson.Options.GetTypeInfo(call.Body.GetType()));
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException error) when (error.InnerException is SocketException)
        {
            await Console.Error.WriteLineAsync(
                $"error: cannot reach the router's admin API at {_http.BaseAddress} ({error.InnerException.Message}). Is 'scoregate serve' running? Set --adminUrl and --stateDir if it uses other ones.");
            return null;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var (message, field) = response.IsSuccessStatusCode ? (null, null) : ErrorOf(text);
            return new AdminAnswer((int)response.StatusCode, response.ReasonPhrase, text, message, field);
        }
    }

    /// <summary>A successful answer as the call prints it.</summary>
    public static void Print(AdminRequest call, AdminAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(answer);
        if (call.Format is null)
        {
            Console.WriteLine(answer.Text);
            return;
        }

        using var json = JsonDocument.Parse(answer.Text);
        Console.WriteLine(call.Format(json.RootElement));
    }

    /// <summary>A refusal as the call explains it (without "error: ").</summary>
    public static string Describe(AdminRequest call, AdminAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(answer);
        var message = answer.Message ?? $"the router answered {answer.Status} {answer.Reason}.";
        return call.Explain?.Invoke(message, answer.Field) ?? message;
    }

    public void Dispose() => _http.Dispose();

    private static (string? Message, string? Field) ErrorOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind != JsonValueKind.Object ? (null, null) : (
                json.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null,
                json.RootElement.TryGetProperty("field", out var field) ? field.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}

/// <summary>An admin API answer.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Reason">Its reason phrase.</param>
/// <param name="Text">The body.</param>
/// <param name="Message">A refusal's message.</param>
/// <param name="Field">The file field a refusal concerns (Azure ML's name), when the router says.</param>
public sealed record AdminAnswer(int Status, string? Reason, string Text, string? Message, string? Field)
{
    public bool Succeeded => Status is >= 200 and < 300;
}
