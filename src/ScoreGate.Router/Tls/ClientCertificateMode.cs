namespace ScoreGate.Router.Tls;

/// <summary>What a host that asks for client certificates does with a missing or bad one.</summary>
public enum ClientCertificateMode
{
    /// <summary>The handshake fails; the router logs why.</summary>
    Required,

    /// <summary>The handshake completes; every scoring request on the connection gets 403 naming the reason.</summary>
    Optional,
}
