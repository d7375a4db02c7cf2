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

    private AdminClient(Uri adminUrl, string token)
    {
        _http = new HttpClient { BaseAddress = adminUrl, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

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

            return new AdminClient(url, AdminToken.Load(stateDir).Value);
        }
        catch (Exception error) when (error is SettingsFileException or SecretFileException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return null;
        }
    }

    public async Task<int> SendAsync(AdminRequest call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var request = new HttpRequestMessage(call.Method, call.Path);
        if (call.Body is not null)
        {
            request.Content = JsonContent.Create(call.Body, call.Body.GetType(), options: AdminJson.Options);
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
            return ExitCodes.Failed;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                if (call.Format is null)
                {
                    Console.WriteLine(text);
                }
                else
                {
                    using var json = JsonDocument.Parse(text);
                    Console.WriteLine(call.Format(json.RootElement));
                }

                return ExitCodes.Success;
            }

            var message = MessageOf(text) ?? $"the router answered {(int)response.StatusCode} {response.ReasonPhrase}.";
            await Console.Error.WriteLineAsync($"error: {call.Explain?.Invoke(message) ?? message}");
            return ExitCodes.Failed;
        }
    }

    public void Dispose() => _http.Dispose();

    private static string? MessageOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
