namespace ScoreGate.Router.Routing;

/// <summary>
/// One model deployment as the data plane sees it: its instances (used in turn) and its
/// request settings.
/// </summary>
public sealed class DeploymentRoute
{
    private readonly Uri[] _instances;
    private uint _next;

    public DeploymentRoute(string name, IReadOnlyList<Uri> instances, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(instances);
        Name = name;
        _instances = [.. instances];
        RequestTimeout = requestTimeout;
    }

    public string Name { get; }

    public IReadOnlyList<Uri> Instances => _instances;

    public TimeSpan RequestTimeout { get; }

    /// <summary>The next instance in turn, or null when the deployment has none.</summary>
    public Uri? NextInstance()
    {
        if (_instances.Length == 0)
        {
            return null;
        }

        var turn = Interlocked.Increment(ref _next);
        return _instances[(int)(turn % (uint)_instances.Length)];
    }
}
