using System.Net;
using System.Security.Authentication;
using ScoreGate.Router;
using ScoreGate.Router.Auth;
using ScoreGate.Router.Routing;
using ScoreGate.Router.Tls;

namespace ScoreGate.ControlPlane.Settings;

/// <summary>
/// The router's validated settings (DESIGN.md §2). Built only by <see cref="RouterSettingsReader"/>,
/// so an instance is always consistent.
/// </summary>
public sealed record RouterSettings
{
    public bool AllowInsecureConnections { get; init; }

    /// <summary>The router's own certificate, or null when it serves plain HTTP only.</summary>
    public FileCertificateSource? Certificate { get; init; }

    public string? SslCname { get; init; }

    /// <summary>Client-certificate rules for the router's own binding (sslClientCaPemFile...), or null.</summary>
    public ClientCertificateFiles? ClientCertificates { get; init; }

    /// <summary>Pass a validated client certificate's identity to the model in X-Client-Cert-* headers.</summary>
    public bool ForwardClientCertificate { get; init; }

    /// <summary>Where secrets named by sslSecret or <c>tls enable --secret</c> are mounted.</summary>
    public string SecretsRoot { get; init; } = "/var/run/scoregate/secrets";

    public SslProtocols MinProtocol { get; init; } = SslProtocols.Tls12;

    public int HttpsPort { get; init; } = 443;

    public int HttpPort { get; init; } = 80;

    /// <summary>Null means every address (IPv4 and IPv6).</summary>
    public IPAddress? ListenAddress { get; init; }

    public required Uri AdminUrl { get; init; }

    public required string StateDir { get; init; }

    /// <summary><see cref="SqliteStore"/>, or a PostgreSQL connection string.</summary>
    public string Store { get; init; } = SqliteStore;

    /// <summary>The key file given with <c>masterKeyFile</c>, or null for stateDir/master.key.</summary>
    public string? MasterKeyFile { get; init; }

    /// <summary>The value of <c>store</c> that means one SQLite file in stateDir.</summary>
    public const string SqliteStore = "sqlite";

    /// <summary>Managed certificates and generated names: the router's own (when it has a label) and endpoints'.</summary>
    public ManagedSettings Managed { get; init; } = new();

    /// <summary>The OpenID Connect provider of <c>aad_token</c> endpoints, or null when <c>oidcAuthority</c> is not set.</summary>
    public OidcSettings? Oidc { get; init; }

    /// <summary>Which statuses timeouts and model errors get (DESIGN.md §4).</summary>
    public CompatibilityProfile CompatibilityProfile { get; init; } = CompatibilityProfile.Managed;

    /// <summary>The interpreter that runs scoring scripts in the inference host.</summary>
    public string PythonCommand { get; init; } = "python3";

    /// <summary>One log line per scoring request.</summary>
    public bool AccessLog { get; init; }

    /// <summary>True for one JSON object per log line instead of text.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>
    /// Largest scoring request body. 100 MiB by default: a batch of images or audio clips is
    /// tens of megabytes. Bodies stream to the model, so this bounds what one client can push
    /// through a model slot, not the router's memory.
    /// </summary>
    public long MaxRequestBodyBytes { get; init; } = 104_857_600;

    /// <summary>
    /// Bytes per second a request body must keep up after a grace period (Kestrel's
    /// <c>MinRequestBodyDataRate</c>), or it is cut with 408; 0 turns the check off. The default
    /// is Kestrel's own: 240 bytes/s is far below any real client and far above a trickle attack.
    /// </summary>
    public long MinRequestBodyDataRate { get; init; } = 240;

    /// <summary>Largest total size of a request's headers (Kestrel's <c>MaxRequestHeadersTotalSize</c>; its default).</summary>
    public int MaxRequestHeadersBytes { get; init; } = 32_768;

    /// <summary>Where clients of private-only endpoints must come from.</summary>
    public NetworkList PrivateNetworks { get; init; } = NetworkList.Private;

    /// <summary>Peers whose X-Forwarded-For is believed.</summary>
    public NetworkList TrustedProxies { get; init; } = NetworkList.Empty;

    /// <summary>True when the router has a certificate of its own from the settings (files, a secret, or managed).</summary>
    public bool TlsEnabled => Certificate is not null || Managed.LeafDomainLabel is not null;

    /// <summary>The part of these settings the data plane reads.</summary>
    public DataPlaneOptions DataPlane => new()
    {
        AllowInsecureConnections = AllowInsecureConnections,
        SslCname = SslCname,
        HttpsPort = HttpsPort,
        CompatibilityProfile = CompatibilityProfile,
        AccessLog = AccessLog,
        MaxRequestBodyBytes = MaxRequestBodyBytes,
        MinRequestBodyDataRate = MinRequestBodyDataRate,
        PrivateNetworks = PrivateNetworks,
        TrustedProxies = TrustedProxies,
    };
}
