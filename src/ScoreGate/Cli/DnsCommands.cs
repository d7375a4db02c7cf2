using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using static ScoreGate.Cli.ClientCommand;

namespace ScoreGate.Cli;

/// <summary><c>scoregate dns show|verify [--endpoint E]</c>: the records of a generated name, and whether they resolve.</summary>
public static class DnsCommands
{
    public static Command Create()
    {
        var dns = new Command("dns", "Show and check the DNS records of generated names (sslLeafDomainLabel, --leaf-domain-label).");
        var endpoint = new Option<string?>("--endpoint", "--endpoint-name", "-e") { Description = "The endpoint whose generated name this is; without it, the router's." };
        var output = new Option<string>("--output", "-o") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");

        dns.Subcommands.Add(Create("show", "The name, the records it should have, and who publishes them.", string.Empty, ShowText));
        dns.Subcommands.Add(Create("verify", "Ask the DNS server (and this machine's resolver) and compare with publicIp; exits 1 when they differ.", "/verify", VerifyText));
        return dns;

        Command Create(string name, string description, string suffix, Func<JsonElement, string> text) =>
            ClientCommand.Create(name, description, [endpoint, output], p =>
                new AdminRequest(HttpMethod.Get, $"{Scope(p.GetValue(endpoint))}{suffix}", Format: p.GetValue(output) == "json" ? null : text));
    }

    private static string Scope(string? endpoint) => endpoint is null ? "api/dns" : $"api/endpoints/{Segment(endpoint)}/dns";

    private static string ShowText(JsonElement view)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"name        {view.GetProperty("hostName").GetString()}");
        foreach (var record in view.GetProperty("records").EnumerateArray())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"record      {record.GetProperty("type").GetString(),-5} {record.GetProperty("value").GetString()} (TTL {record.GetProperty("ttl").GetUInt32()} s)");
        }

        text.Append(CultureInfo.InvariantCulture, $"published   {view.GetProperty("publishedBy").GetString()}");
        return text.ToString();
    }

    private static string VerifyText(JsonElement view)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"name        {view.GetProperty("hostName").GetString()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"expected    {string.Join(", ", view.GetProperty("expected").EnumerateArray().Select(e => e.GetString()))}");
        if (view.GetProperty("authoritative") is { ValueKind: JsonValueKind.Object } server)
        {
            var ttl = server.GetProperty("ttl") is { ValueKind: JsonValueKind.Number } t ? $" (TTL {t.GetUInt32()} s)" : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"server      {server.GetProperty("server").GetString()}: {string.Join(", ", server.GetProperty("addresses").EnumerateArray().Select(e => e.GetString()))}{ttl}");
        }

        var resolver = view.GetProperty("resolver");
        var resolved = resolver.GetProperty("error").GetString() ?? string.Join(", ", resolver.GetProperty("addresses").EnumerateArray().Select(e => e.GetString()));
        text.AppendLine(CultureInfo.InvariantCulture, $"resolver    {resolved}");
        text.Append("result      OK: the name resolves to publicIp.");
        return text.ToString();
    }
}
