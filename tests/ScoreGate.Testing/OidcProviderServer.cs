using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace ScoreGate.Testing;

/// <summary>
/// A client of <see cref="OidcProviderServer"/>, allowed the client-credentials grant.
/// <paramref name="Roles"/> become the token's <c>roles</c> claim (none when null, as Entra
/// omits it for an application without roles); <paramref name="Scope"/> is what it may ask for.
/// </summary>
public sealed record OidcClient(string ClientId, string ClientSecret, IReadOnlyList<string>? Roles = null, string Scope = "score");

/// <summary>
/// A real OpenID Connect provider (the npm <c>oidc-provider</c>, pinned in
/// tests/peers/oidc-provider, run by Debian's Node.js) on HTTPS loopback, its listener signed by a
/// test CA whose PEM is at <see cref="CaBundleFile"/> (what <c>oidcCaBundle</c> points to). It
/// issues client-credentials access tokens as JWTs for the audience asked. A test-only control
/// port rotates the signing key and signs crafted tokens with it.
/// </summary>
public sealed class OidcProviderServer : IDisposable
{
    /// <summary>The client <see cref="StartAsync"/> configures when given none: roles ["scorer"].</summary>
    public static readonly OidcClient DefaultClient = new("scoregate-test-client", "scoregate-test-secret", ["scorer"]);

    // Audiences that are not absolute URIs (an Entra application id is a bare GUID) cannot be
    // resource indicators; server.mjs maps this prefix back to the bare audience.
    private const string AudiencePrefix = "urn:scoregate-test:audience:";

    private readonly TempDirectory _directory;
    private readonly string _config;
    private readonly HttpClient _http;
    private readonly HttpClient _control = new();
    private ProcessRun _process;

    private OidcProviderServer(TempDirectory directory, string config, int port, int controlPort, IReadOnlyList<OidcClient> clients)
    {
        _directory = directory;
        _config = config;
        Port = port;
        ControlPort = controlPort;
        Clients = clients;
        _http = CreateHttpClient();
        _process = null!;
    }

    /// <summary>The folder holding package.json, server.mjs and (after scripts/test) node_modules.</summary>
    public static string PeerDirectory => Path.Combine(RepositoryPaths.Root, "tests", "peers", "oidc-provider");

    public int Port { get; }

    /// <summary>The test-only control port (plain HTTP on loopback).</summary>
    public int ControlPort { get; }

    /// <summary>The exact issuer (<c>iss</c> of its tokens, what <c>oidcAuthority</c> is set to), without a trailing slash.</summary>
    public string Issuer => $"https://127.0.0.1:{Port}";

    public Uri DiscoveryUrl => new($"{Issuer}/.well-known/openid-configuration");

    public Uri JwksUrl => new($"{Issuer}/jwks");

    public Uri TokenUrl => new($"{Issuer}/token");

    /// <summary>PEM of the CA that signed the provider's HTTPS certificate (for <c>oidcCaBundle</c>).</summary>
    public string CaBundleFile => _directory.File("oidc-ca.pem");

    public IReadOnlyList<OidcClient> Clients { get; }

    /// <summary>The kid of the key that signs tokens now (changes on <see cref="RotateSigningKeyAsync"/>).</summary>
    public string CurrentKeyId { get; private set; } = "";

    /// <summary>The JWS alg of the current signing key: RS256, PS256 or ES256.</summary>
    public string CurrentAlgorithm { get; private set; } = "";

    /// <summary>Everything the provider printed (no secrets: it never logs requests).</summary>
    public string Log => _process.AllOutput;

    /// <param name="clients">Clients allowed client credentials; <see cref="DefaultClient"/> when null.</param>
    /// <param name="algorithm">The signing key type and alg: RS256 (default), PS256 or ES256.</param>
    /// <param name="accessTokenLifetime">The <c>exp - iat</c> of issued tokens (default an hour).</param>
    public static async Task<OidcProviderServer> StartAsync(IEnumerable<OidcClient>? clients = null, string algorithm = "RS256", TimeSpan? accessTokenLifetime = null)
    {
        if (!File.Exists(Path.Combine(PeerDirectory, "node_modules", "oidc-provider", "package.json")))
        {
            throw new InvalidOperationException($"oidc-provider is not installed in {PeerDirectory}: scripts/test installs it (npm ci --prefix tests/peers/oidc-provider).");
        }

        var clientList = (clients ?? [DefaultClient]).ToList();
        var directory = new TempDirectory();
        using (var ca = TestCertificateAuthority.CreateRoot("OIDC Provider Test CA"))
        using (var leaf = ca.Issue(["127.0.0.1", "localhost"]))
        {
            directory.Write("oidc-ca.pem", ca.CertificatePem);
            leaf.WriteTo(directory.Path);
        }

        var port = FreePort.Next();
        var controlPort = FreePort.Next();
        var config = new JsonObject
        {
            ["port"] = port,
            ["controlPort"] = controlPort,
            ["certificate"] = directory.File("cert.pem"),
            ["key"] = directory.File("key.pem"),
            ["keysFile"] = directory.File("signing-keys.json"),
            ["alg"] = algorithm,
            ["accessTokenTtl"] = (int)(accessTokenLifetime ?? TimeSpan.FromHours(1)).TotalSeconds,
            ["clients"] = new JsonArray([.. clientList.Select(c => new JsonObject
            {
                ["client_id"] = c.ClientId,
                ["client_secret"] = c.ClientSecret,
                ["scope"] = c.Scope,
                ["roles"] = c.Roles is null ? null : new JsonArray([.. c.Roles.Select(r => JsonValue.Create(r))]),
            })]),
        };

        // Client secrets go in a file, not in arguments that any process listing shows.
        var configFile = directory.Write("oidc-provider.json", config.ToJsonString());
        var server = new OidcProviderServer(directory, configFile, port, controlPort, clientList);
        try
        {
            await server.StartProcessAsync();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>
    /// A real client-credentials request (<c>POST /token</c>, client_secret_basic,
    /// <c>resource</c> = <paramref name="audience"/>); returns the access token (a JWT).
    /// </summary>
    /// <param name="clientId">One of <see cref="Clients"/>; the first when null.</param>
    /// <param name="scope">The scope asked; the client's whole <see cref="OidcClient.Scope"/> when null.</param>
    public async Task<string> GetAccessTokenAsync(string audience, string? clientId = null, string? scope = null)
    {
        using var response = await RequestTokenAsync(audience, clientId, scope);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Token request failed: {(int)response.StatusCode} {body}");
        }

        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    /// <summary>The raw token response, for tests of a refused request (wrong secret, unknown client).</summary>
    public async Task<HttpResponseMessage> RequestTokenAsync(string audience, string? clientId = null, string? scope = null, string? clientSecret = null)
    {
        var client = clientId is null ? Clients[0] : Clients.FirstOrDefault(c => c.ClientId == clientId) ?? new OidcClient(clientId, "");
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["resource"] = Uri.TryCreate(audience, UriKind.Absolute, out _) ? audience : AudiencePrefix + Uri.EscapeDataString(audience),
        };
        if ((scope ?? client.Scope) is { Length: > 0 } asked)
        {
            form["scope"] = asked;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, TokenUrl) { Content = new FormUrlEncodedContent(form) };

        // RFC 6749 2.3.1: id and secret are form-urlencoded before the Basic encoding.
        var credentials = $"{Uri.EscapeDataString(client.ClientId)}:{Uri.EscapeDataString(clientSecret ?? client.ClientSecret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return await _http.SendAsync(request);
    }

    /// <summary>
    /// A new key (new kid; <paramref name="algorithm"/> or the current alg) signs from now on and
    /// is published in the JWKS. Previous keys stay published, as a real provider keeps them for
    /// a while, unless <paramref name="retirePrevious"/>: then tokens they signed no longer verify.
    /// </summary>
    public async Task<string> RotateSigningKeyAsync(bool retirePrevious = false, string? algorithm = null)
    {
        var body = new JsonObject { ["retirePrevious"] = retirePrevious };
        if (algorithm is not null)
        {
            body["alg"] = algorithm;
        }

        var result = await ControlAsync("/test/rotate", body);
        CurrentKeyId = result["kid"]!.GetValue<string>();
        CurrentAlgorithm = result["alg"]!.GetValue<string>();
        return CurrentKeyId;
    }

    /// <summary>
    /// Signs exactly <paramref name="claims"/> (nothing added: see <see cref="ClaimsFor"/>) with
    /// the current key, header <c>{"alg", "typ": "at+jwt", "kid"}</c> merged with
    /// <paramref name="header"/>. <paramref name="algorithm"/> must suit the key (PS256 for an RSA
    /// key, say). With <paramref name="unpublishedKey"/>, a fresh key the JWKS never lists signs
    /// (a forged token: valid signature, unknown kid).
    /// </summary>
    public async Task<string> SignAsync(JsonObject claims, string? algorithm = null, JsonObject? header = null, bool unpublishedKey = false)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var body = new JsonObject
        {
            ["claims"] = claims.DeepClone(),
            ["unpublishedKey"] = unpublishedKey,
        };
        if (algorithm is not null)
        {
            body["alg"] = algorithm;
        }

        if (header is not null)
        {
            body["header"] = header.DeepClone();
        }

        return (await ControlAsync("/test/sign", body))["token"]!.GetValue<string>();
    }

    /// <summary>
    /// The claims the provider would issue for <paramref name="audience"/> and a client (iss, sub,
    /// client_id, aud, iat, exp, jti, scope, roles), valid from <paramref name="issuedAt"/>
    /// (now when null) for <paramref name="lifetime"/> (an hour when null): a starting point to
    /// change before <see cref="SignAsync"/> (a past exp, another iss, no roles).
    /// </summary>
    public JsonObject ClaimsFor(string audience, string? clientId = null, IReadOnlyList<string>? roles = null, DateTimeOffset? issuedAt = null, TimeSpan? lifetime = null)
    {
        var client = clientId is null ? Clients[0] : Clients.FirstOrDefault(c => c.ClientId == clientId) ?? new OidcClient(clientId, "");
        var iat = (issuedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = client.ClientId,
            ["client_id"] = client.ClientId,
            ["aud"] = audience,
            ["iat"] = iat,
            ["exp"] = iat + (long)(lifetime ?? TimeSpan.FromHours(1)).TotalSeconds,
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)),
        };
        if (client.Scope.Length > 0)
        {
            claims["scope"] = client.Scope;
        }

        if ((roles ?? client.Roles) is { } chosen)
        {
            claims["roles"] = new JsonArray([.. chosen.Select(r => JsonValue.Create(r))]);
        }

        return claims;
    }

    /// <summary>The JWKS as served now (what a relying party fetches from the jwks_uri).</summary>
    public async Task<JsonObject> GetJwksAsync() =>
        (JsonObject)JsonNode.Parse(await _http.GetStringAsync(JwksUrl))!;

    /// <summary>
    /// How many requests the provider has had for <paramref name="path"/> (e.g. "/jwks",
    /// "/.well-known/openid-configuration", "/token") since it last started: to see when a
    /// relying party fetches keys.
    /// </summary>
    public async Task<int> GetRequestCountAsync(string path)
    {
        var counts = JsonNode.Parse(await _control.GetStringAsync(new Uri($"http://127.0.0.1:{ControlPort}/test/requests")))!;
        return counts[path]?.GetValue<int>() ?? 0;
    }

    /// <summary>Stops the provider (to test an outage); <see cref="StartAgainAsync"/> brings it back with the same port and keys.</summary>
    public void Stop() => _process.Kill();

    public Task StartAgainAsync()
    {
        _process.Dispose();
        return StartProcessAsync();
    }

    /// <summary>An HttpClient that trusts only the provider's test CA (<see cref="CaBundleFile"/>).</summary>
    public HttpClient CreateHttpClient()
    {
        var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(CaBundleFile));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            // Name mismatches still fail; only "untrusted root" is re-judged against the test CA.
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        return new HttpClient(handler);
    }

    /// <summary>Decodes a JWT's header and payload (no verification: that is the router's job).</summary>
    public static (JsonObject Header, JsonObject Payload) Decode(string jwt)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            throw new FormatException($"Not a JWS compact serialization: {parts.Length} parts.");
        }

        return ((JsonObject)JsonNode.Parse(Base64UrlDecode(parts[0]))!, (JsonObject)JsonNode.Parse(Base64UrlDecode(parts[1]))!);
    }

    public void Dispose()
    {
        _process?.Dispose();
        _http.Dispose();
        _control.Dispose();
        _directory.Dispose();
    }

    private static byte[] Base64UrlDecode(string value)
    {
        var base64 = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    private async Task<JsonNode> ControlAsync(string path, JsonObject body)
    {
        using var response = await _control.PostAsJsonAsync(new Uri($"http://127.0.0.1:{ControlPort}{path}"), body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"oidc-provider {path} failed: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text)!;
    }

    private async Task StartProcessAsync()
    {
        _process = ProcessRun.Start("node", [Path.Combine(PeerDirectory, "server.mjs"), _config], workingDirectory: PeerDirectory);
        await _process.WaitForLineAsync(l => l.StartsWith("oidc-provider listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        using var response = await _control.GetAsync(new Uri($"http://127.0.0.1:{ControlPort}/test/key"));
        response.EnsureSuccessStatusCode();
        var key = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        CurrentKeyId = key["kid"]!.GetValue<string>();
        CurrentAlgorithm = key["alg"]!.GetValue<string>();
    }
}
