namespace ScoreGate.ControlPlane.Tokens;

/// <summary>The shape of Azure ML's get-token output; times are Unix seconds (UTC).</summary>
public sealed record EndpointToken(string AccessToken, long ExpiryTimeUtc, long RefreshAfterTimeUtc, string TokenType)
{
    /// <summary>Never the token: records end up in logs and exception messages.</summary>
    public override string ToString() => $"EndpointToken(expires {ExpiryTimeUtc})";
}
