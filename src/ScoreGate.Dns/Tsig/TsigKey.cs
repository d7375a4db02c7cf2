using System.Security.Cryptography;
using ScoreGate.Dns.Wire;

namespace ScoreGate.Dns.Tsig;

/// <summary>The HMAC algorithms ScoreGate signs with (RFC 8945 6: hmac-sha256 is mandatory).</summary>
public enum TsigAlgorithm
{
    /// <summary>hmac-sha256.</summary>
    HmacSha256,

    /// <summary>hmac-sha512.</summary>
    HmacSha512,
}

/// <summary>A shared TSIG key. The secret never appears in <see cref="ToString"/>.</summary>
public sealed class TsigKey
{
    private readonly byte[] _secret;

    private TsigKey(string name, TsigAlgorithm algorithm, byte[] secret)
    {
        Name = name;
        Algorithm = algorithm;
        _secret = secret;
    }

    public string Name { get; }

    public TsigAlgorithm Algorithm { get; }

    /// <summary>The algorithm's name on the wire and in BIND's key files.</summary>
    public string AlgorithmName => Algorithm == TsigAlgorithm.HmacSha512 ? "hmac-sha512" : "hmac-sha256";

    /// <param name="name">The key name, as in BIND's <c>key "name" { ... }</c>.</param>
    /// <param name="base64Secret">The secret as <c>tsig-keygen</c> prints it.</param>
    /// <param name="algorithm"><c>hmac-sha256</c> (when null) or <c>hmac-sha512</c>.</param>
    /// <returns>The key, or why the inputs do not make one.</returns>
    public static TsigKeyParseResult Parse(string name, string base64Secret, string? algorithm)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(base64Secret);
        var badName = DnsName.Trim(name).Length == 0 ? "it is empty" : DnsName.Problem(name);
        if (badName is not null)
        {
            return new(null, $"the key name is not a DNS name: {badName}");
        }

        TsigAlgorithm parsed;
        switch (DnsName.Canonical(algorithm ?? "hmac-sha256"))
        {
            case "hmac-sha256":
                parsed = TsigAlgorithm.HmacSha256;
                break;
            case "hmac-sha512":
                parsed = TsigAlgorithm.HmacSha512;
                break;
            default:
                return new(null, $"algorithm '{algorithm}' is not supported; use hmac-sha256 or hmac-sha512");
        }

        var secret = new byte[base64Secret.Length];
        if (!Convert.TryFromBase64String(base64Secret.Trim(), secret, out var length) || length == 0)
        {
            return new(null, "the secret is not base64; copy the secret \"...\" value from the key file tsig-keygen wrote");
        }

        return new(new TsigKey(DnsName.Trim(name), parsed, secret[..length]), null);
    }

    internal byte[] ComputeMac(ReadOnlySpan<byte> data) =>
        Algorithm == TsigAlgorithm.HmacSha512 ? HMACSHA512.HashData(_secret, data) : HMACSHA256.HashData(_secret, data);

    public override string ToString() => $"TSIG key '{Name}' ({AlgorithmName})";
}

/// <summary>A parsed key, or the reason there is none.</summary>
public sealed record TsigKeyParseResult(TsigKey? Key, string? Error);
