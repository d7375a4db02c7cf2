using System.CommandLine;
using System.Text.Json;

namespace ScoreGate.Cli;

/// <summary>
/// <c>scoregate status</c>: the revision the router serves, whether it reaches its store, and its OpenID Connect provider's state;
/// exits 1 while it is degraded, so scripts and probes can use it.
/// </summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        return ClientCommand.Create("status", "Show the revision this router serves and whether it reaches its store; exits 1 while degraded.", [output], p =>
            new AdminRequest(HttpMethod.Get, "healthz", Format: p.GetValue(output) == "json" ? null : Text));
    }

    private static string Text(JsonElement view)
    {
        var text = $"status      {view.GetProperty("status").GetString()}\nrevision    {view.GetProperty("revision").GetInt64()}\nstore       {view.GetProperty("store").GetString()}";
        // The OpenID Connect provider, when oidcAuthority is set: its outage is shown, but is not the router's (cached keys still verify).
        if (view.TryGetProperty("oidc", out var oidc) && oidc.ValueKind == JsonValueKind.Object)
        {
            text += $"\noidc        {oidc.GetProperty("status").GetString()} ({oidc.GetProperty("authority").GetString()}; {oidc.GetProperty("keyIds").GetArrayLength()} key(s) cached)";
            if (oidc.TryGetProperty("problem", out var problem) && problem.ValueKind == JsonValueKind.String)
            {
                text += $"\n            {problem.GetString()}";
            }
        }

        return text;
    }
}
