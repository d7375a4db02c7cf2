namespace ScoreGate.Router.Tls;

/// <summary>
/// The certificates the router serves at one moment: a default binding plus bindings per
/// host name. Lookup: exact name, then the longest wildcard suffix, then the default.
/// </summary>
public sealed class TlsSnapshot
{
    private readonly Dictionary<string, TlsBinding> _byHostName;

    public TlsSnapshot(TlsBinding? defaultBinding, IEnumerable<TlsBinding> hostBindings)
    {
        Default = defaultBinding;
        _byHostName = hostBindings.ToDictionary(b => b.HostName!, StringComparer.OrdinalIgnoreCase);
    }

    public static TlsSnapshot Empty { get; } = new(null, []);

    public TlsBinding? Default { get; }

    /// <summary>The same host bindings with another default, for rotating the router's own certificate.</summary>
    public TlsSnapshot WithDefault(TlsBinding binding) => new(binding, _byHostName.Values);

    public TlsBinding? Find(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return Default;
        }

        if (_byHostName.TryGetValue(serverName, out var exact))
        {
            return exact;
        }

        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && _byHostName.TryGetValue(string.Concat("*", serverName.AsSpan(dot)), out var wildcard))
        {
            return wildcard;
        }

        return Default;
    }
}
