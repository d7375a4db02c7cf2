using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Router.Tls;

/// <summary>
/// An X.509 CRL (RFC 5280 §5), read for the one thing the router needs: which serial numbers its
/// issuer revoked. .NET's X509Chain can only check revocation against CRLs it downloads or finds
/// in its own cache (X509RevocationMode.Offline reads the cache, never a file we name), so the
/// router parses the operator's CRL itself, checks its signature against the CA bundle once when
/// it loads, and then looks serial numbers up in a set.
/// </summary>
public sealed class RevocationList
{
    private readonly HashSet<string> _revokedSerials;

    private RevocationList(X500DistinguishedName issuer, HashSet<string> revokedSerials, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, byte[] tbs, Oid signatureAlgorithm, byte[] signature)
    {
        Issuer = issuer;
        _revokedSerials = revokedSerials;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        SignedPart = tbs;
        SignatureAlgorithm = signatureAlgorithm;
        Signature = signature;
    }

    public X500DistinguishedName Issuer { get; }

    public DateTimeOffset ThisUpdate { get; }

    public DateTimeOffset? NextUpdate { get; }

    public int Count => _revokedSerials.Count;

    private byte[] SignedPart { get; }

    private Oid SignatureAlgorithm { get; }

    private byte[] Signature { get; }

    /// <summary>Whether <paramref name="certificate"/> is issued by this CRL's issuer and revoked by it.</summary>
    public bool Revokes(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.IssuerName.RawData.AsSpan().SequenceEqual(Issuer.RawData) && _revokedSerials.Contains(Normalize(certificate.SerialNumber));
    }

    /// <summary>Reads a PEM ("X509 CRL") or DER CRL; false when it is neither.</summary>
    public static bool TryParse(byte[] contents, out RevocationList? list)
    {
        ArgumentNullException.ThrowIfNull(contents);
        list = null;
        byte[]? der = contents;
        var text = System.Text.Encoding.ASCII.GetString(contents);
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            der = null;
            var remaining = text.AsSpan();
            while (der is null && PemEncoding.TryFind(remaining, out var fields))
            {
                if (remaining[fields.Label].SequenceEqual("X509 CRL"))
                {
                    der = Convert.FromBase64String(remaining[fields.Base64Data].ToString());
                }

                remaining = remaining[fields.Location.End..];
            }

            if (der is null)
            {
                return false;
            }
        }

        try
        {
            list = Read(der);
            return true;
        }
        catch (Exception error) when (error is AsnContentException or CryptographicException or FormatException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="ca"/>'s key signed this CRL (ECDSA, or RSA PKCS#1 v1.5, with SHA-256/384/512).</summary>
    public bool IsSignedBy(X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        if (!ca.SubjectName.RawData.AsSpan().SequenceEqual(Issuer.RawData))
        {
            return false;
        }

        var hash = SignatureAlgorithm.Value switch
        {
            "1.2.840.10045.4.3.2" or "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
            "1.2.840.10045.4.3.3" or "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
            "1.2.840.10045.4.3.4" or "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (hash == default)
        {
            return false;
        }

        using var ecdsa = ca.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            return ecdsa.VerifyData(SignedPart, Signature, hash, DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = ca.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(SignedPart, Signature, hash, RSASignaturePadding.Pkcs1);
    }

    /// <summary>RFC 5280 §5.1: CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }.</summary>
    private static RevocationList Read(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var list = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbsBytes = list.PeekEncodedValue().ToArray();
        var tbs = list.ReadSequence();
        var algorithm = list.ReadSequence();
        var signatureOid = new Oid(algorithm.ReadObjectIdentifier());
        var signature = list.ReadBitString(out _);
        list.ThrowIfNotEmpty();

        // TBSCertList: version (optional), signature, issuer, thisUpdate, nextUpdate (optional), revokedCertificates (optional), [0] extensions.
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        tbs.ReadSequence();
        var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = null;
        if (tbs.HasData && (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || tbs.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)))
        {
            nextUpdate = ReadTime(tbs);
        }

        var serials = new HashSet<string>(StringComparer.Ordinal);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                BigInteger serial = entry.ReadInteger();
                serials.Add(Normalize(Convert.ToHexString(serial.ToByteArray(isUnsigned: false, isBigEndian: true))));
            }
        }

        return new RevocationList(issuer, serials, thisUpdate, nextUpdate, tbsBytes, signatureOid, signature);
    }

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    /// <summary>Serials compare as hex without leading zero bytes (X509Certificate2.SerialNumber keeps them as encoded).</summary>
    private static string Normalize(string hexSerial)
    {
        var trimmed = hexSerial.ToUpperInvariant().TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }
}
