using System.Globalization;
using System.Net;
using System.Security.Authentication;
using Microsoft.Extensions.Configuration;
using ScoreGate.Certificates.Pem;
using ScoreGate.Router.Routing;
using ScoreGate.Router.Tls;
using static ScoreGate.ControlPlane.Settings.RouterSettingNames;

namespace ScoreGate.ControlPlane.Settings;

/// <summary>
/// Turns configuration (scoregate.json, SCOREGATE_* variables, command-line options) into
/// <see cref="RouterSettings"/>, collecting every problem instead of stopping at the first
/// (STYLE.md §4). Each problem names the setting, what is wrong, and how to fix it.
/// </summary>
public static class RouterSettingsReader
{
    public static RouterSettingsReadResult Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        var reader = new SettingValues(configuration, errors);

        foreach (var unknown in configuration.GetChildren().Select(c => c.Key).Where(k => Find(k) is null && !IsHostingKey(k)))
        {
            var hint = Closest(unknown) is { } close ? $" Did you mean '{close}'?" : string.Empty;
            errors.Add($"'{unknown}' is not a ScoreGate setting.{hint} See 'scoregate serve --help' for the list.");
        }

        var allowInsecure = reader.Bool(AllowInsecureConnections);
        var stateDir = reader.Text(StateDir)!;
        var managed = ManagedSettingsReader.Read(reader, errors);
        var settings = new RouterSettings
        {
            AllowInsecureConnections = allowInsecure,
            Certificate = ReadCertificateSource(reader, errors),
            SslCname = ReadHostName(reader, errors),
            ClientCertificates = ReadClientCertificates(reader, errors),
            ForwardClientCertificate = reader.Bool(ForwardClientCertificate),
            SecretsRoot = Path.GetFullPath(reader.Text(SecretsRoot)!),
            MinProtocol = ReadMinProtocol(reader, errors),
            HttpsPort = reader.Port(HttpsPort),
            HttpPort = reader.Port(HttpPort),
            ListenAddress = ReadListenAddress(reader, errors),
            AdminUrl = ReadAdminUrl(reader, errors),
            StateDir = Path.GetFullPath(stateDir),
            Store = ReadStore(reader, errors),
            MasterKeyFile = ReadMasterKeyFile(reader, errors),
            Managed = managed,
            Oidc = OidcSettingsReader.Read(reader, errors),
            AccessLog = reader.Bool(AccessLog),
            MaxRequestBodyBytes = reader.Number(MaxRequestBodyBytes, 1, long.MaxValue,
                "Give the largest scoring request body to accept, in bytes, such as 104857600 (100 MiB)."),
            MinRequestBodyDataRate = reader.Number(MinRequestBodyDataRate, 0, int.MaxValue,
                "Give the slowest acceptable body rate in bytes per second, such as 240, or 0 to turn the check off."),
            MaxRequestHeadersBytes = (int)reader.Number(MaxRequestHeadersBytes, 1024, 1_048_576,
                "Give the largest total size of a request's headers, in bytes, such as 32768 (32 KiB)."),
            PythonCommand = ReadPythonCommand(reader, errors),
            PrivateNetworks = ReadNetworks(reader, errors, PrivateNetworks, NetworkList.Private),
            TrustedProxies = ReadNetworks(reader, errors, TrustedProxies, NetworkList.Empty),
            JsonLogs = reader.Choice(LogFormat, new Dictionary<string, bool> { ["text"] = false, ["json"] = true }),
            CompatibilityProfile = reader.Choice(RouterSettingNames.CompatibilityProfile, new Dictionary<string, Router.CompatibilityProfile>
            {
                ["managed"] = Router.CompatibilityProfile.Managed,
                ["kubernetes"] = Router.CompatibilityProfile.Kubernetes,
            }),
        };

        // Only checked: the Kubernetes manifests turn it into the Service's type.
        reader.Choice(InferenceRouterServiceType, new Dictionary<string, string> { ["LoadBalancer"] = "LoadBalancer", ["NodePort"] = "NodePort", ["ClusterIP"] = "ClusterIP" });

        // When a certificate setting was given but is wrong, its own error says so; "none set" would mislead.
        var certificateSettingGiven = new[] { SslCertPemFile, SslKeyPemFile, SslSecret, SslLeafDomainLabel }.Any(n => reader.Text(n) is not null);
        if (settings.Certificate is null && !allowInsecure && !certificateSettingGiven)
        {
            errors.Add(
                $"No certificate source is set and {AllowInsecureConnections} is false, so the router would have nothing to serve HTTPS with. " +
                $"Set {SslCertPemFile} and {SslKeyPemFile} (PEM files), or {SslSecret} (a secret directory under {SecretsRoot}), or {SslLeafDomainLabel} and {DnsZone} (a managed certificate); " +
                $"or set {AllowInsecureConnections}=true to serve plain HTTP (not for production).");
        }

        if (settings.SslCname is not null && managed.LeafDomainLabel is not null)
        {
            errors.Add($"{SslCname} cannot be combined with {SslLeafDomainLabel}: the managed certificate's name is generated. Remove {SslCname}, or use your own certificate for that name.");
        }
        else if (settings.SslCname is not null && settings.Certificate is null)
        {
            errors.Add($"{SslCname} is set but no certificate source is: the name is checked against a certificate. Set {SslCertPemFile} and {SslKeyPemFile}, or {SslSecret}.");
        }

        if (settings.ClientCertificates is not null && settings.Certificate is null && managed.LeafDomainLabel is null && !certificateSettingGiven)
        {
            errors.Add($"{SslClientCaPemFile} is set but no certificate source is: client certificates are asked for in TLS handshakes. Set {SslCertPemFile} and {SslKeyPemFile}, or {SslSecret}, or remove {SslClientCaPemFile}.");
        }

        if (settings.HttpsPort == settings.HttpPort && settings.HttpsPort != 0)
        {
            errors.Add($"{HttpsPort} and {HttpPort} are both {settings.HttpsPort}. Give each listener its own port.");
        }

        if (settings.AdminUrl.Port == settings.HttpsPort || settings.AdminUrl.Port == settings.HttpPort)
        {
            errors.Add($"{AdminUrl} uses port {settings.AdminUrl.Port}, which {HttpsPort} or {HttpPort} already uses. Give the admin API its own port.");
        }

        return new RouterSettingsReadResult(settings, errors);
    }

    /// <summary>Keys that .NET hosting itself reads from the same sources; not ours to refuse.</summary>
    /// <summary>One program, by name or path; whether it runs is seen when a scoring script starts (its deployment logs say).</summary>
    private static string ReadPythonCommand(SettingValues reader, List<string> errors)
    {
        var value = reader.Text(PythonCommand)!.Trim();
        if (value.Length == 0 || value.Any(char.IsControl))
        {
            errors.Add($"{PythonCommand} is empty. Give the Python interpreter for scoring scripts, such as python3 or /usr/bin/python3.");
            return "python3";
        }

        if (value.Contains('/', StringComparison.Ordinal) && !File.Exists(value))
        {
            errors.Add($"{PythonCommand} '{value}' does not exist. Give the path of a Python interpreter that has the model's packages, such as /usr/bin/python3, or a name on PATH.");
        }

        return value;
    }

    /// <summary>Comma-separated networks; a bad entry is named with how to write it (never silently widened or narrowed).</summary>
    private static NetworkList ReadNetworks(SettingValues reader, List<string> errors, string name, NetworkList fallback)
    {
        var value = reader.Text(name);
        if (NetworkList.Parse(value, out var problem) is { } list)
        {
            return list;
        }

        errors.Add($"{name} '{value}' {problem}.");
        return fallback;
    }

    /// <summary>sqlite, or something shaped like a connection string; PostgreSQL itself judges the rest when the router connects.</summary>
    private static string ReadStore(SettingValues reader, List<string> errors)
    {
        var value = reader.Text(RouterSettingNames.Store)!.Trim();
        if (string.Equals(value, RouterSettings.SqliteStore, StringComparison.OrdinalIgnoreCase))
        {
            return RouterSettings.SqliteStore;
        }

        if (!value.Contains('=', StringComparison.Ordinal))
        {
            // Never echo the value: it may be a connection string with a password in it.
            errors.Add($"{RouterSettingNames.Store} must be 'sqlite' or a PostgreSQL connection string such as Host=db.example;Port=5432;Database=scoregate;Username=scoregate;Password=... (URLs like postgres://... are not accepted).");
        }

        return value;
    }

    private static string? ReadMasterKeyFile(SettingValues reader, List<string> errors)
    {
        if (reader.Text(MasterKeyFile) is not { } path)
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            errors.Add($"{MasterKeyFile} '{full}' does not exist. Make one with: head -c 32 /dev/urandom | base64 > '{full}' && chmod 600 '{full}', and give every router sharing the store the same file.");
        }

        return full;
    }

    private static bool IsHostingKey(string key) =>
        key.Equals("Logging", StringComparison.OrdinalIgnoreCase) || key.Equals("urls", StringComparison.OrdinalIgnoreCase);

    private static FileCertificateSource? ReadCertificateSource(SettingValues reader, List<string> errors)
    {
        var certificate = reader.Text(SslCertPemFile);
        var key = reader.Text(SslKeyPemFile);
        var passphrase = reader.Text(SslKeyPassphraseFile);
        var secret = reader.Text(SslSecret);
        if (reader.Text(SslLeafDomainLabel) is not null && (certificate is not null || secret is not null))
        {
            errors.Add($"{SslLeafDomainLabel} and {(secret is null ? $"{SslCertPemFile}/{SslKeyPemFile}" : SslSecret)} are both set. Choose one certificate source: a managed certificate or your own.");
            return null;
        }

        if ((certificate is null) != (key is null))
        {
            var (given, missing) = certificate is null ? (SslKeyPemFile, SslCertPemFile) : (SslCertPemFile, SslKeyPemFile);
            errors.Add($"{given} is set but {missing} is not. Set both: the certificate chain and its private key.");
            return null;
        }

        if (secret is not null && certificate is not null)
        {
            errors.Add($"{SslSecret} and {SslCertPemFile}/{SslKeyPemFile} are both set. Choose one certificate source and remove the other.");
            return null;
        }

        if (certificate is not null)
        {
            return new FileCertificateSource($"{SslCertPemFile}/{SslKeyPemFile}", new PemCertificateFiles(Path.GetFullPath(certificate), Path.GetFullPath(key!), FullPathOrNull(passphrase)));
        }

        if (secret is null)
        {
            return null;
        }

        if (secret.Contains('/', StringComparison.Ordinal) || secret.Contains('\\', StringComparison.Ordinal) || secret is "." or "..")
        {
            errors.Add($"{SslSecret} '{secret}' is not a secret name: give the name of a directory directly under {SecretsRoot}, not a path.");
            return null;
        }

        var directory = Path.Combine(Path.GetFullPath(reader.Text(SecretsRoot)!), secret);
        return new FileCertificateSource(
            $"{SslSecret} '{secret}'",
            new PemCertificateFiles(Path.Combine(directory, "cert.pem"), Path.Combine(directory, "key.pem"), FullPathOrNull(passphrase)));
    }

    /// <summary>The router's own client CA, CRL and mode; the mode and the CRL mean nothing without a CA.</summary>
    private static ClientCertificateFiles? ReadClientCertificates(SettingValues reader, List<string> errors)
    {
        var ca = reader.Text(SslClientCaPemFile);
        var crl = reader.Text(SslClientCrlPemFile);
        var modeText = reader.Text(SslClientCertificateMode);
        if (ca is null)
        {
            foreach (var (given, value) in new[] { (SslClientCrlPemFile, crl), (SslClientCertificateMode, modeText) })
            {
                if (value is not null)
                {
                    errors.Add($"{given} is set but {SslClientCaPemFile} is not: client certificates are checked against a CA. Set {SslClientCaPemFile} to the PEM file of the client CA, or remove {given}.");
                }
            }

            return null;
        }

        if (ClientCertificateModes.TryParse(modeText, out var mode) is false)
        {
            errors.Add($"{SslClientCertificateMode} '{modeText}' is not a mode. Use required (a missing or bad client certificate fails the handshake) or optional (such requests get 403).");
        }

        return new ClientCertificateFiles(Path.GetFullPath(ca), FullPathOrNull(crl), mode, SslClientCaPemFile, SslClientCrlPemFile);
    }

    private static string? FullPathOrNull(string? path) => path is null ? null : Path.GetFullPath(path);

    private static string? ReadHostName(SettingValues reader, List<string> errors)
    {
        var name = reader.Text(SslCname);
        if (name is null)
        {
            return null;
        }

        if (Uri.CheckHostName(name) is UriHostNameType.Unknown || name.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(name, out _))
        {
            errors.Add($"{SslCname} '{name}' is not a host name. Give the name clients use, such as www.contoso.com (no scheme, port or path).");
            return null;
        }

        return name.TrimEnd('.');
    }

    private static SslProtocols ReadMinProtocol(SettingValues reader, List<string> errors)
    {
        var value = reader.Text(SslMinProtocol)!;
        if (value.Equals("Tls12", StringComparison.OrdinalIgnoreCase))
        {
            return SslProtocols.Tls12;
        }

        if (value.Equals("Tls13", StringComparison.OrdinalIgnoreCase))
        {
            return SslProtocols.Tls13;
        }

        errors.Add($"{SslMinProtocol} '{value}' is not supported. Use Tls12 or Tls13 (TLS 1.0 and 1.1 are never offered).");
        return SslProtocols.Tls12;
    }

    private static IPAddress? ReadListenAddress(SettingValues reader, List<string> errors)
    {
        var value = reader.Text(ListenAddress)!;
        if (value == "*")
        {
            return null;
        }

        if (IPAddress.TryParse(value, out var address))
        {
            return address;
        }

        errors.Add($"{ListenAddress} '{value}' is not an IP address. Use * for all addresses, or one address such as 127.0.0.1 or ::1.");
        return null;
    }

    private static Uri ReadAdminUrl(SettingValues reader, List<string> errors)
    {
        if (AdminUrlRule.Check(reader.Text(AdminUrl)!, out var problem) is { } url)
        {
            return url;
        }

        errors.Add(problem!);
        return new Uri(Find(AdminUrl)!.Default!);
    }
}

/// <summary>
/// The settings as far as they could be read, and every problem found in them. Use
/// <see cref="Settings"/> only to look for further problems (such as loading the certificate it
/// names) while <see cref="Errors"/> is not empty.
/// </summary>
public sealed record RouterSettingsReadResult(RouterSettings Settings, IReadOnlyList<string> Errors);
