namespace ScoreGate.Router.Tls;

/// <summary>Why a client certificate was refused, or that it was accepted.</summary>
public enum ClientCertificateReason
{
    /// <summary>Accepted: chained to the CA bundle, in its validity period, for client authentication, not revoked.</summary>
    Valid,

    /// <summary>The client sent no certificate.</summary>
    NoCertificate,

    /// <summary>The certificate does not chain to a CA of the bundle (signed by another CA, or self-signed).</summary>
    UnknownIssuer,

    /// <summary>The certificate has expired, or is not valid yet.</summary>
    Expired,

    /// <summary>The certificate's serial number is on the CRL of its issuer.</summary>
    Revoked,

    /// <summary>The certificate has an extended key usage extension without clientAuth.</summary>
    NotForClientAuthentication,
}
