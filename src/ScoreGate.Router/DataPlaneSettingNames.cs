namespace ScoreGate.Router;

/// <summary>
/// The settings the data plane's own messages name. The catalog
/// (<c>ScoreGate.ControlPlane.Settings.RouterSettingNames</c>) takes these spellings from here,
/// so a message and the setting it names cannot drift apart.
/// </summary>
public static class DataPlaneSettingNames
{
    public const string SslCname = "sslCname";
    public const string MaxRequestBodyBytes = "maxRequestBodyBytes";
    public const string MinRequestBodyDataRate = "minRequestBodyDataRate";
    public const string PrivateNetworks = "privateNetworks";
    public const string TrustedProxies = "trustedProxies";
}
