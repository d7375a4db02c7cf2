using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ScoreGate.Certificates.Acme;

/// <summary>
/// The account's ECDSA P-256 key and the JWS (RFC 7515) signatures made with it: ES256, the
/// public key as a JWK (RFC 7517) until the account URL is known, then that URL as <c>kid</c>.
/// </summary>
public sealed class AcmeAccountKey : IDisposable
{
    private readonly ECDsa _key;

    private AcmeAccountKey(ECDsa key)
    {
        _key = key;
        var parameters = key.ExportParameters(includePrivateParameters: false);
        // Members in lexicographic order with no white space: the form RFC 7638 3 hashes.
        Jwk = $$"""{"crv":"P-256","kty":"EC","x":"{{Base64Url.EncodeToString(parameters.Q.X)}}","y":"{{Base64Url.EncodeToString(parameters.Q.Y)}}"}""";
        Thumbprint = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(Jwk)));
    }

    /// <summary>The public key as a JWK, in RFC 7638 canonical form.</summary>
    public string Jwk { get; }

    /// <summary>The RFC 7638 JWK thumbprint, the second half of every key authorization.</summary>
    public string Thumbprint { get; }

    public static AcmeAccountKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static AcmeAccountKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new CryptographicException("The ACME account key must be ECDSA P-256.");
        }

        return new(key);
    }

    public string ExportPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>RFC 8555 8.1: <c>token || '.' || thumbprint</c>.</summary>
    public string KeyAuthorization(string token) => $"{token}.{Thumbprint}";

    /// <summary>A flattened JWS (RFC 8555 6.2) over <paramref name="payloadJson"/>; null payload means POST-as-GET.</summary>
    public string Sign(Uri url, string nonce, string? payloadJson, Uri? accountUrl)
    {
        ArgumentNullException.ThrowIfNull(url);
        var protectedHeader = Base64Url.EncodeToString(AcmeJson.Utf8(json =>
        {
            json.WriteStartObject();
            json.WriteString("alg", "ES256");
            json.WriteString("nonce", nonce);
            json.WriteString("url", url.AbsoluteUri);
            if (accountUrl is null)
            {
                using var jwk = JsonDocument.Parse(Jwk);
                json.WritePropertyName("jwk");
                jwk.RootElement.WriteTo(json);
            }
            else
            {
                json.WriteString("kid", accountUrl.AbsoluteUri);
            }

            json.WriteEndObject();
        }));
        var payload = payloadJson is null ? string.Empty : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{protectedHeader}.{payload}"), HashAlgorithmName.SHA256);
        return Flattened(protectedHeader, payload, Base64Url.EncodeToString(signature));
    }

    /// <summary>The external account binding (RFC 8555 7.3.4): our JWK, MACed with the CA's key.</summary>
    public JsonElement ExternalAccountBinding(Uri newAccountUrl, string keyId, string base64UrlMacKey)
    {
        ArgumentNullException.ThrowIfNull(newAccountUrl);
        var header = Base64Url.EncodeToString(AcmeJson.Utf8(json =>
        {
            json.WriteStartObject();
            json.WriteString("alg", "HS256");
            json.WriteString("kid", keyId);
            json.WriteString("url", newAccountUrl.AbsoluteUri);
            json.WriteEndObject();
        }));
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Jwk));
        var mac = HMACSHA256.HashData(Base64Url.DecodeFromChars(base64UrlMacKey), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        using var document = JsonDocument.Parse(Flattened(header, payload, Base64Url.EncodeToString(mac)));
        return document.RootElement.Clone();
    }

    /// <summary>The flattened JWS serialization (RFC 7515 7.2.2), fields in this order.</summary>
    private static string Flattened(string protectedHeader, string payload, string signature) => AcmeJson.Text(json =>
    {
        json.WriteStartObject();
        json.WriteString("protected", protectedHeader);
        json.WriteString("payload", payload);
        json.WriteString("signature", signature);
        json.WriteEndObject();
    });

    public void Dispose() => _key.Dispose();
}
