using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ScoreGate.Cli;

/// <summary><c>scoregate tls show</c>: what the router serves, until when, and what is questionable about it.</summary>
public static class TlsCommands
{
    public static Command Create()
    {
        var tls = new Command("tls", "Inspect the certificates the router serves.");
        var output = new Option<string>("--output", "-o") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        tls.Subcommands.Add(ClientCommand.Create("show", "Show the router's certificate: source, names, chain, key, validity and warnings.", [output],
            p => new AdminRequest(HttpMethod.Get, "api/tls", Format: p.GetValue(output) == "json" ? null : AsText)));
        return tls;
    }

    internal static string AsText(JsonElement view)
    {
        if (!view.GetProperty("enabled").GetBoolean())
        {
            return "TLS is off: the router serves plain HTTP (allowInsecureConnections=true and no certificate source).";
        }

        var notAfter = view.GetProperty("notAfter").GetDateTimeOffset();
        var text = new StringBuilder();
        Line("source", view.GetProperty("source").GetString());
        Line("names", string.Join(", ", Strings(view, "names")));
        Line("chain", string.Join(" <- ", Strings(view, "chain")));
        Line("key", view.GetProperty("key").GetString());
        Line("serial", view.GetProperty("serialNumber").GetString());
        Line("not after", $"{notAfter.ToString("u", CultureInfo.InvariantCulture)} ({Math.Floor((notAfter - DateTimeOffset.UtcNow).TotalDays)} days left)");
        var warnings = Strings(view, "warnings");
        Line("warnings", warnings.Count == 0 ? "none" : string.Join(Environment.NewLine + new string(' ', 12), warnings));
        return text.ToString().TrimEnd();

        void Line(string label, string? value) => text.Append(CultureInfo.InvariantCulture, $"{label,-11} {value}").AppendLine();
    }

    private static List<string> Strings(JsonElement view, string property) =>
        [.. view.GetProperty(property).EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
}
