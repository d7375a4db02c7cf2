namespace ScoreGate.Router.Tls;

/// <summary>
/// The certificates the router serves at one moment: a default binding plus bindings per
/// host name. Lookup: exact name, then the longest wildcard suffix, then the default.
/// </summary>
public sealed class TlsSnapshot
{
    private readonly Dictionary<string, TlsBinding> _byHostName;
    private readonly HashSet<string> _refused;

    /// <param name="defaultBinding">Serves names without a binding of their own; null refuses them.</param>
    /// <param name="hostBindings">Bindings by host name (exact, or a "*." wildcard).</param>
    /// <param name="refusedHostNames">Names whose own source is broken: refused, never given the default instead.</param>
    public TlsSnapshot(TlsBinding? defaultBinding, IEnumerable<TlsBinding> hostBindings, IEnumerable<string>? refusedHostNames = null)
    {
        Default = defaultBinding;
        _byHostName = hostBindings.ToDictionary(b => b.HostName!, StringComparer.OrdinalIgnoreCase);
        _refused = new HashSet<string>(refusedHostNames ?? [], StringComparer.OrdinalIgnoreCase);
    }

    public IEnumerable<TlsBinding> HostBindings => _byHostName.Values;

    public static TlsSnapshot Empty { get; } = new(null, []);

    public TlsBinding? Default { get; }


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

        if (_refused.Contains(serverName))
        {
            return null;
        }

        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && _byHostName.TryGetValue(string.Concat("*", serverName.AsSpan(dot)), out var wildcard))
        {
            return wildcard;
        }

        return Default;
    }
}
