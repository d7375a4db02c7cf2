using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ScoreGate.ControlPlane.Tls;
using static ScoreGate.Cli.ClientCommand;

namespace ScoreGate.Cli;

/// <summary>
/// <c>scoregate tls enable|update|renew|disable|show [--endpoint E]</c>: the router's certificate,
/// or an endpoint's own for its own host name (SNI), from files, a secret, or ACME (managed).
/// </summary>
public static class TlsCommands
{
    public static Command Create()
    {
        var tls = new Command("tls", "Set, replace, turn off and inspect the certificates the router serves.");
        var endpoint = new Option<string?>("--endpoint", "--endpoint-name", "-e") { Description = "The endpoint whose own certificate this is; without it, the router's." };
        var certificate = new Option<string?>("--cert") { Description = "PEM file with the certificate chain, leaf first." };
        var key = new Option<string?>("--key") { Description = "PEM file with the private key." };
        var passphrase = new Option<string?>("--key-passphrase-file") { Description = "File holding the passphrase of an encrypted key." };
        var secret = new Option<string?>("--secret") { Description = "Name of a secret directory under secretsRoot holding cert.pem and key.pem." };
        var cname = new Option<string?>("--cname") { Description = "The host name clients use; required for an endpoint's own certificate." };
        var upload = new Option<bool>("--upload") { Description = "Send the files' PEM text to be stored (key encrypted) instead of watching the files." };
        var label = new Option<string?>("--leaf-domain-label") { Description = "Managed certificate: the name <label><6 random>.<region>.<dnsZone> is generated, published and kept certified over ACME." };
        var overwrite = new Option<bool>("--overwrite-existing-domain") { Description = "With --leaf-domain-label: draw a new name instead of keeping the stored one." };
        var clientCa = new Option<string?>("--client-ca") { Description = "PEM file of the CA(s) whose client certificates this host name asks for and accepts (mTLS); watched." };
        var clientCrl = new Option<string?>("--client-crl") { Description = "With --client-ca: CRL file (PEM or DER) of a client CA; revoked certificates are refused. Watched." };
        var clientMode = new Option<string?>("--client-certificate") { Description = "With --client-ca: required (default; a missing or bad certificate fails the handshake) or optional (the request gets 403 saying why)." };
        var output = new Option<string>("--output", "-o") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        Option[] source = [endpoint, certificate, key, passphrase, secret, cname, upload, clientCa, clientCrl, clientMode];

        AdminRequest? Change(ParseResult p, string verb) =>
            Request(p.GetValue(certificate), p.GetValue(key), p.GetValue(passphrase), p.GetValue(secret), p.GetValue(cname), p.GetValue(upload)) is { } body
                ? new AdminRequest(HttpMethod.Post, $"{Scope(p.GetValue(endpoint))}/{verb}",
                    body with
                    {
                        LeafDomainLabel = p.GetValue(label),
                        OverwriteExistingDomain = p.GetValue(overwrite),
                        ClientCaFile = FullPath(p.GetValue(clientCa)),
                        ClientCrlFile = FullPath(p.GetValue(clientCrl)),
                        ClientCertificateMode = p.GetValue(clientMode),
                    }, AsText)
                : null;

        tls.Subcommands.Add(ClientCommand.Create("enable", "Serve a certificate: the router's, or an endpoint's own for its host name.", [.. source, label, overwrite], p => Change(p, "enable")));
        tls.Subcommands.Add(ClientCommand.Create("update", "Replace a certificate set with 'tls enable'; new handshakes get it at once.", source, p => Change(p, "update")));
        tls.Subcommands.Add(ClientCommand.Create("renew", "Renew a managed certificate now; the current one serves until the new one is in place.", [endpoint],
            p => new AdminRequest(HttpMethod.Post, $"{Scope(p.GetValue(endpoint))}/renew", Format: AsText)));
        tls.Subcommands.Add(ClientCommand.Create("disable", "Drop an endpoint's own certificate (the router's then serves it), or the router's TLS.", [endpoint],
            p => new AdminRequest(HttpMethod.Post, $"{Scope(p.GetValue(endpoint))}/disable", Format: AsText)));
        tls.Subcommands.Add(ClientCommand.Create("show", "Show a certificate: source, names, chain, key, validity, warnings and problems.", [endpoint, output],
            p => new AdminRequest(HttpMethod.Get, Scope(p.GetValue(endpoint)), Format: p.GetValue(output) == "json" ? null : AsText)));
        return tls;
    }

    private static string Scope(string? endpoint) => endpoint is null ? "api/tls" : $"api/endpoints/{Segment(endpoint)}/tls";

    /// <returns>The request, or null after printing why a file could not be read.</returns>
    private static TlsRequest? Request(string? certificate, string? key, string? passphrase, string? secret, string? cname, bool upload)
    {
        if (!upload)
        {
            // The router shares this machine (its admin API is loopback-only), so paths are made absolute here.
            return new TlsRequest(FullPath(certificate), FullPath(key), FullPath(passphrase), secret, Cname: cname);
        }

        try
        {
            return new TlsRequest(
                Secret: secret,
                CertificatePem: certificate is null ? null : File.ReadAllText(certificate),
                KeyPem: key is null ? null : File.ReadAllText(key),
                KeyPassphrase: passphrase is null ? null : File.ReadAllText(passphrase).TrimEnd('\r', '\n'),
                Cname: cname);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return null;
        }
    }

    private static string? FullPath(string? path) => path is null ? null : Path.GetFullPath(path);

    internal static string AsText(JsonElement view)
    {
        var problem = view.TryGetProperty("problem", out var p) ? p.GetString() : null;
        var managed = view.TryGetProperty("managed", out var m) && m.ValueKind == JsonValueKind.Object ? ManagedText(m) : string.Empty;
        if (!view.GetProperty("enabled").GetBoolean())
        {
            var host = view.GetProperty("hostName").GetString();
            return host is null
                ? "TLS is off: the router serves plain HTTP (allowInsecureConnections=true and no certificate source)."
                : $"host {host}: no certificate is served, so its handshakes are refused. Problem: {problem}{managed}";
        }

        var notAfter = view.GetProperty("notAfter").GetDateTimeOffset();
        var text = new StringBuilder();
        if (view.TryGetProperty("usesRouterCertificate", out var inherited) && inherited.GetBoolean())
        {
            text.AppendLine("This endpoint has no certificate of its own; the router's serves it:");
        }

        Line("host name", view.GetProperty("hostName").GetString() ?? "(router default)");
        Line("source", view.GetProperty("source").GetString());
        Line("names", string.Join(", ", Strings(view, "names")));
        Line("chain", string.Join(" <- ", Strings(view, "chain")));
        Line("key", view.GetProperty("key").GetString());
        Line("serial", view.GetProperty("serialNumber").GetString());
        Line("not after", $"{notAfter.ToString("u", CultureInfo.InvariantCulture)} ({Math.Floor((notAfter - DateTimeOffset.UtcNow).TotalDays)} days left)");
        var warnings = Strings(view, "warnings");
        Line("warnings", warnings.Count == 0 ? "none" : string.Join(Environment.NewLine + new string(' ', 12), warnings));
        if (view.TryGetProperty("clientCertificateMode", out var clientMode) && clientMode.ValueKind == JsonValueKind.String)
        {
            Line("client cert", $"{clientMode.GetString()} (mTLS: asked for in this host name's handshakes)");
            Line("client CA", $"{view.GetProperty("clientCa").GetString()}: {string.Join("; ", Strings(view, "clientCaSubjects"))}");
            Line("client CRL", view.TryGetProperty("clientCrl", out var crl) && crl.ValueKind == JsonValueKind.String ? crl.GetString() : "none");
        }

        if (problem is not null)
        {
            Line("problem", $"{problem} (the certificate above is the last good one)");
        }

        return (text.ToString().TrimEnd() + managed).TrimEnd();

        void Line(string label, string? value) => text.Append(CultureInfo.InvariantCulture, $"{label,-11} {value}").AppendLine();
    }

    /// <summary>The renewer's state, in the same two-column form.</summary>
    private static string ManagedText(JsonElement managed)
    {
        var text = new StringBuilder();
        Line("managed", $"label {managed.GetProperty("label").GetString()}, challenge {managed.GetProperty("challenge").GetString()}, CA {managed.GetProperty("issuedBy").GetString() ?? "(none yet)"}");
        Line("next renew", Time(managed.GetProperty("nextRenewal")) + (managed.GetProperty("renewRequested").GetBoolean() ? " (renewal requested)" : string.Empty));
        var failures = managed.GetProperty("failedAttempts").GetInt32();
        if (failures > 0)
        {
            Line("last error", $"{managed.GetProperty("lastError").GetString()} ({failures} failed attempts, last at {Time(managed.GetProperty("lastAttempt"))})");
        }

        return text.ToString().TrimEnd();

        void Line(string label, string? value) => text.AppendLine().Append(CultureInfo.InvariantCulture, $"{label,-11} {value}");

        static string Time(JsonElement value) => value.ValueKind == JsonValueKind.Null ? "(not scheduled)" : value.GetDateTimeOffset().ToString("u", CultureInfo.InvariantCulture);
    }

    private static List<string> Strings(JsonElement view, string property) =>
        [.. view.GetProperty(property).EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
}
