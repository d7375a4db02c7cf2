namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>
/// Azure ML's <c>public_network_access</c>: <c>enabled</c> (the default) serves every client;
/// <c>disabled</c> only clients in the router's <c>privateNetworks</c>.
/// </summary>
public static class PublicNetworkAccess
{
    public const string Field = "public_network_access";
    public const string Enabled = "enabled";
    public const string Disabled = "disabled";

    /// <returns>The value as stored (lowercase), or null when <paramref name="text"/> is neither word. Null or empty means enabled.</returns>
    public static string? Normalize(string? text) =>
        string.IsNullOrEmpty(text) || string.Equals(text, Enabled, StringComparison.OrdinalIgnoreCase) ? Enabled
        : string.Equals(text, Disabled, StringComparison.OrdinalIgnoreCase) ? Disabled
        : null;

    /// <summary>Whether a stored value keeps the endpoint to private networks.</summary>
    public static bool IsDisabled(string? stored) => string.Equals(stored, Disabled, StringComparison.OrdinalIgnoreCase);

    /// <summary>The refusal of a value that is neither word, for the field's error.</summary>
    public static string Refusal(string? text) =>
        $"'{text}' is not supported. Use enabled (the default: every client may score) or disabled (only clients in the router's privateNetworks setting may score).";
}
