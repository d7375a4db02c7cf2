using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScoreGate.Router.Tests.Auth;

/// <summary>
/// A minimal OpenID Connect provider on loopback HTTP (HttpListener, a real socket): discovery
/// document and JWKS from keys made in the test, a switch to fail every request (an outage), and
/// a count of fetches. Signs tokens with its keys the way a real provider would.
/// </summary>
internal sealed class LoopbackOidcProvider : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Kid, string Alg, AsymmetricAlgorithm Key)> _keys = [];
    private readonly Lock _lock = new();
    private int _metadataFetches;

    public LoopbackOidcProvider()
    {
        Port = FreePort.Next();
        Issuer = $"http://127.0.0.1:{Port}";
        _listener.Prefixes.Add($"{Issuer}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Issuer { get; }

    /// <summary>While true every request gets 503, as from a provider that is down.</summary>
    public bool Down { get; set; }

    /// <summary>The discovery document's issuer, if it should differ from <see cref="Issuer"/>.</summary>
    public string? AnnouncedIssuer { get; set; }

    /// <summary>Requests for the discovery document answered so far (each fetch of keys makes one).</summary>
    public int MetadataFetches => Volatile.Read(ref _metadataFetches);

    /// <summary>Adds a key (published from now on) and returns its kid.</summary>
    public string AddKey(string alg)
    {
        AsymmetricAlgorithm key = alg == SecurityAlgorithms.EcdsaSha256 ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var kid = $"{alg.ToLowerInvariant()}-{Guid.NewGuid():N}"[..16];
        lock (_lock)
        {
            _keys.Add((kid, alg, key));
        }

        return kid;
    }

    public AsymmetricAlgorithm KeyOf(string kid)
    {
        lock (_lock)
        {
            return _keys.Single(k => k.Kid == kid).Key;
        }
    }

    /// <summary>Claims a provider would issue: iss, aud, sub, iat, nbf, exp (an hour from <paramref name="now"/>).</summary>
    public Dictionary<string, object> Claims(DateTimeOffset now, string audience, string subject = "client-1") => new()
    {
        ["iss"] = Issuer,
        ["aud"] = audience,
        ["sub"] = subject,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
    };

    /// <summary>A token signed by key <paramref name="kid"/> with exactly <paramref name="claims"/>.</summary>
    public string Sign(string kid, IDictionary<string, object> claims, string? alg = null, IDictionary<string, object>? header = null)
    {
        var (_, keyAlg, key) = _keys.Single(k => k.Kid == kid);
        SecurityKey securityKey = key is RSA rsa ? new RsaSecurityKey(rsa) { KeyId = kid } : new ECDsaSecurityKey((ECDsa)key) { KeyId = kid };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(securityKey, alg ?? keyAlg),
            AdditionalHeaderClaims = header,
        });
    }

    /// <summary>A compact JWS put together by hand (for <c>none</c> and HMAC, which no real provider would sign).</summary>
    public static string Handmade(JsonObject header, IDictionary<string, object> claims, Func<byte[], byte[]>? sign = null)
    {
        var payload = new JsonObject();
        foreach (var (name, value) in claims)
        {
            payload[name] = JsonValue.Create(value);
        }

        var input = $"{Base64UrlEncoder.Encode(header.ToJsonString())}.{Base64UrlEncoder.Encode(payload.ToJsonString())}";
        var signature = sign is null ? string.Empty : Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes(input)));
        return $"{input}.{signature}";
    }

    public void Dispose()
    {
        _listener.Close();
        foreach (var (_, _, key) in _keys)
        {
            key.Dispose();
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            var path = context.Request.Url!.AbsolutePath;
            if (Down)
            {
                response.StatusCode = 503;
                continue;
            }

            string body;
            if (path == "/.well-known/openid-configuration")
            {
                Interlocked.Increment(ref _metadataFetches);
                body = new JsonObject { ["issuer"] = AnnouncedIssuer ?? Issuer, ["jwks_uri"] = $"{Issuer}/jwks", ["token_endpoint"] = $"{Issuer}/token" }.ToJsonString();
            }
            else if (path == "/jwks")
            {
                body = Jwks();
            }
            else
            {
                response.StatusCode = 404;
                continue;
            }

            response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await response.OutputStream.WriteAsync(bytes);
        }
    }

    private string Jwks()
    {
        var keys = new JsonArray();
        lock (_lock)
        {
            foreach (var (kid, alg, key) in _keys)
            {
                if (key is RSA rsa)
                {
                    var p = rsa.ExportParameters(false);
                    keys.Add(new JsonObject { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = kid, ["alg"] = alg, ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent) });
                }
                else
                {
                    var p = ((ECDsa)key).ExportParameters(false);
                    keys.Add(new JsonObject { ["kty"] = "EC", ["use"] = "sig", ["kid"] = kid, ["alg"] = alg, ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y) });
                }
            }
        }

        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }
}
