using ScoreGate.Router;

namespace ScoreGate.ControlPlane.Settings;

/// <summary>
/// The catalog of router settings: the one list that <c>serve</c>'s options, the unknown-setting
/// check and the README's table are made from.
/// </summary>
public static class RouterSettingNames
{
    public const string AllowInsecureConnections = "allowInsecureConnections";
    public const string SslCertPemFile = "sslCertPemFile";
    public const string SslKeyPemFile = "sslKeyPemFile";
    public const string SslKeyPassphraseFile = "sslKeyPassphraseFile";
    public const string SslSecret = "sslSecret";
    public const string SslCname = DataPlaneSettingNames.SslCname;
    public const string SslLeafDomainLabel = "sslLeafDomainLabel";
    public const string SslOverwriteExistingDomain = "sslOverwriteExistingDomain";
    public const string SslRenew = "sslRenew";
    public const string Region = "region";
    public const string DnsZone = "dnsZone";
    public const string PublicIp = "publicIp";
    public const string AcmeDirectory = "acmeDirectory";
    public const string AcmeFallbackDirectory = "acmeFallbackDirectory";
    public const string AcmeEmail = "acmeEmail";
    public const string AcmeCaBundle = "acmeCaBundle";
    public const string AcmeEabKeyId = "acmeEabKeyId";
    public const string AcmeEabHmacKey = "acmeEabHmacKey";
    public const string AcmeChallenge = "acmeChallenge";
    public const string AcmeKeyType = "acmeKeyType";
    public const string DnsServer = "dnsServer";
    public const string DnsTsigKeyName = "dnsTsigKeyName";
    public const string DnsTsigSecret = "dnsTsigSecret";
    public const string DnsTsigAlgorithm = "dnsTsigAlgorithm";
    public const string SslMinProtocol = "sslMinProtocol";
    public const string SslClientCaPemFile = "sslClientCaPemFile";
    public const string SslClientCrlPemFile = "sslClientCrlPemFile";
    public const string SslClientCertificateMode = "sslClientCertificateMode";
    public const string ForwardClientCertificate = "forwardClientCertificate";
    public const string SecretsRoot = "secretsRoot";
    public const string HttpsPort = "httpsPort";
    public const string HttpPort = "httpPort";
    public const string ListenAddress = "listenAddress";
    public const string AdminUrl = "adminUrl";
    public const string StateDir = "stateDir";
    public const string Store = "store";
    public const string MasterKeyFile = "masterKeyFile";
    public const string InferenceRouterServiceType = "inferenceRouterServiceType";
    public const string CompatibilityProfile = "compatibilityProfile";
    public const string PythonCommand = "pythonCommand";
    public const string AccessLog = "accessLog";
    public const string LogFormat = "logFormat";
    public const string MaxRequestBodyBytes = DataPlaneSettingNames.MaxRequestBodyBytes;
    public const string MinRequestBodyDataRate = DataPlaneSettingNames.MinRequestBodyDataRate;
    public const string MaxRequestHeadersBytes = "maxRequestHeadersBytes";
    public const string PrivateNetworks = DataPlaneSettingNames.PrivateNetworks;
    public const string TrustedProxies = DataPlaneSettingNames.TrustedProxies;
    public const string OidcAuthority = "oidcAuthority";
    public const string OidcAudience = "oidcAudience";
    public const string OidcCaBundle = "oidcCaBundle";

    public static IReadOnlyList<RouterSetting> All { get; } =
    [
        new(AllowInsecureConnections, "false", "Allow plain HTTP when no certificate source is set (logged as a warning)."),
        new(SslCertPemFile, null, "PEM file with the full certificate chain, leaf first. Needs sslKeyPemFile."),
        new(SslKeyPemFile, null, "PEM file with the private key of the certificate. Needs sslCertPemFile."),
        new(SslKeyPassphraseFile, null, "File holding the passphrase of an encrypted private key."),
        new(SslSecret, null, "Name of a secret directory under secretsRoot holding cert.pem and key.pem."),
        new(SslCname, null, "Host name clients use; must be covered by the certificate's subject alternative names."),
        new(SslLeafDomainLabel, null, "Managed certificate: the router gets the name <label><6 random>.<region>.<dnsZone>, publishes it and keeps a certificate for it over ACME."),
        new(SslOverwriteExistingDomain, "false", "With sslLeafDomainLabel: draw new random characters instead of keeping the stored name."),
        new(SslRenew, "false", "With sslLeafDomainLabel: renew the certificate at start even if it is still valid."),
        new(Region, "local", "Region part of generated names."),
        new(DnsZone, null, "DNS zone generated names live in, such as endpoints.contoso.com. Needed by sslLeafDomainLabel."),
        new(PublicIp, null, "Address(es) clients reach the router at, comma-separated: published as A/AAAA records of generated names."),
        new(AcmeDirectory, "https://acme-v02.api.letsencrypt.org/directory", "ACME directory URL of the CA that issues managed certificates."),
        new(AcmeFallbackDirectory, null, "ACME directory tried when the first CA fails (for example ZeroSSL behind Let's Encrypt)."),
        new(AcmeEmail, null, "Contact address given to the ACME CA (expiry notices)."),
        new(AcmeCaBundle, null, "PEM file of the CA(s) to trust for the ACME server's HTTPS instead of the system roots (private CAs, Pebble)."),
        new(AcmeEabKeyId, null, "External account binding key id, when the CA requires one. Needs acmeEabHmacKey."),
        new(AcmeEabHmacKey, null, "External account binding HMAC key (base64url), when the CA requires one. Needs acmeEabKeyId."),
        new(AcmeChallenge, "http-01", "How the CA validates names: http-01 (on httpPort), tls-alpn-01 (on httpsPort) or dns-01 (through dnsServer)."),
        new(AcmeKeyType, "ecdsa-p256", "Key of managed certificates: ecdsa-p256 or rsa-2048."),
        new(DnsServer, null, "RFC 2136 server that takes updates for dnsZone: an IP address, optionally with :port (53)."),
        new(DnsTsigKeyName, null, "TSIG key name for updates to dnsServer. Needs dnsTsigSecret."),
        new(DnsTsigSecret, null, "TSIG secret (base64, as tsig-keygen prints it). Prefer SCOREGATE_dnsTsigSecret or scoregate.json (mode 0600) to the command line."),
        new(DnsTsigAlgorithm, "hmac-sha256", "TSIG algorithm: hmac-sha256 or hmac-sha512."),
        new(SslMinProtocol, "Tls12", "Lowest TLS version offered: Tls12 or Tls13. TLS 1.0/1.1 are never offered."),
        new(SslClientCaPemFile, null, "PEM file of the CA(s) whose client certificates the router's own binding asks for and accepts (mTLS); watched."),
        new(SslClientCrlPemFile, null, "With sslClientCaPemFile: CRL (PEM or DER) of a client CA; revoked client certificates are refused. Watched."),
        new(SslClientCertificateMode, null, "With sslClientCaPemFile: required (the default) (a missing or bad client certificate fails the handshake) or optional (the request gets 403 saying why)."),
        new(ForwardClientCertificate, "false", "Pass a validated client certificate's subject, SANs and SHA-256 fingerprint to the model in X-Client-Cert-Subject, X-Client-Cert-SAN and X-Client-Cert-SHA256."),
        new(SecretsRoot, "/var/run/scoregate/secrets", "Directory where secrets named by sslSecret are mounted."),
        new(HttpsPort, "443", "Port of the HTTPS listener."),
        new(HttpPort, "80", "Port of the HTTP listener: redirects to HTTPS while TLS is on, serves when it is off."),
        new(ListenAddress, "*", "Address the HTTPS and HTTP listeners bind to: * (all), or one IP address such as 127.0.0.1."),
        new(AdminUrl, "http://127.0.0.1:7400", "Where the admin API listens and where CLI verbs find it (loopback only)."),
        new(StateDir, "./.scoregate", "Directory for the store, the master key and the admin token."),
        new(Store, "sqlite", "Where endpoints, keys and certificates live: sqlite (a file in stateDir, one router) or a PostgreSQL connection string (Host=...;Database=...;Username=...;Password=...) that several routers share. It may hold a password: prefer SCOREGATE_store to the command line."),
        new(MasterKeyFile, null, "File holding the key (32 random bytes, base64) that encrypts secrets in the store. Default: stateDir/master.key, made on first start. Routers sharing a PostgreSQL store must all use the same key."),
        new(InferenceRouterServiceType, "LoadBalancer", "Kubernetes Service type in front of the routers: LoadBalancer, NodePort or ClusterIP. deploy/kubernetes applies it; the router only checks it."),
        new(AccessLog, "false", "Log one line per scoring request: method, path, status, duration, endpoint, deployment, request id, client address, and an OpenID Connect token's subject (never the token)."),
        new(LogFormat, "text", "Console log format: text (one line per event) or json (one JSON object per line, with every field)."),
        new(MaxRequestBodyBytes, "104857600", "Largest scoring request body, in bytes (100 MiB: batches of images or audio). Bodies stream to the model, so this bounds what one client pushes, not memory. Larger bodies get 413."),
        new(MinRequestBodyDataRate, "240", "Slowest a request body may arrive, in bytes per second, after a 5 s grace period; a slower body is cut with 408. 0 turns the check off."),
        new(MaxRequestHeadersBytes, "32768", "Largest total size of a request's headers, in bytes; larger get 431."),
        new(PrivateNetworks, Router.Routing.NetworkList.PrivateDefault, "Where clients of endpoints with public_network_access: disabled must come from: comma-separated CIDR prefixes or single addresses (loopback, RFC 1918 and IPv6 ULA by default). Others get 403."),
        new(TrustedProxies, null, "Proxies or load balancers in front of the router whose X-Forwarded-For names the client, comma-separated CIDR prefixes or single addresses; from other peers the header is ignored. None by default."),
        new(CompatibilityProfile, "managed", "Statuses for timeouts and model errors: managed (408 and 424, as Azure ML managed online endpoints) or kubernetes (504 and 502, as its Kubernetes endpoints)."),
        new(OidcAuthority, null, "OpenID Connect issuer URL whose access tokens aad_token endpoints accept, such as https://login.microsoftonline.com/<tenant>/v2.0; its metadata is read from /.well-known/openid-configuration. https only (http only for a loopback address, for tests). Needs oidcAudience."),
        new(OidcAudience, null, "The audience ('aud') every accepted OpenID Connect access token must carry, such as api://<app-id>. Needs oidcAuthority."),
        new(OidcCaBundle, null, "PEM file of the CA(s) to trust for the OpenID Connect provider's HTTPS instead of the system roots (a private provider)."),
        new(PythonCommand, "python3", "The Python interpreter that runs scoring-script deployments (code_configuration) in ScoreGate's inference host: a name on PATH or a path, such as /usr/bin/python3 or /opt/venv/bin/python. It must have the model's packages (numpy, scikit-learn...)."),
    ];

    /// <summary>The catalog's spelling of <paramref name="name"/>, compared case-insensitively, or null.</summary>
    public static RouterSetting? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The known setting closest to a misspelt one, for "did you mean" hints.</summary>
    public static string? Closest(string name) => Spelling.Closest(name, All.Select(s => s.Name), maxDistance: 3);
}
