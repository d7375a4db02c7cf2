namespace ScoreGate.ControlPlane.Store;

/// <summary>A key that signs endpoint tokens. <see cref="KeyPem"/> is plaintext here; the store encrypts it on the way to disk.</summary>
public sealed record TokenSigningKeyRecord(string Id, string KeyPem, DateTimeOffset CreatedAt)
{
    /// <summary>Never the key: records end up in logs and exception messages.</summary>
    public override string ToString() => $"TokenSigningKeyRecord({Id}, {CreatedAt:O})";
}
