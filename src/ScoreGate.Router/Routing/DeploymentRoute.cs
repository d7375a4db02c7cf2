namespace ScoreGate.Router.Routing;

/// <summary>One model deployment as the data plane sees it: its instances and their admission.</summary>
public sealed class DeploymentRoute
{
    /// <param name="name">The deployment's name.</param>
    /// <param name="instances">Base URLs of its instances.</param>
    /// <param name="limits">Its request settings.</param>
    /// <param name="previous">
    /// The same deployment in the table being replaced, if any: instances whose URL is unchanged
    /// are carried over with their requests in flight, readiness and ejection.
    /// </param>
    public DeploymentRoute(string name, IReadOnlyList<Uri> instances, RequestLimits limits, DeploymentRoute? previous = null)
    {
        ArgumentNullException.ThrowIfNull(instances);
        Name = name;
        var known = previous?.Pool.Instances.ToDictionary(i => i.Url) ?? [];
        Pool = new InstancePool([.. instances.Select(url => known.GetValueOrDefault(url) ?? new ModelInstance(url))], limits);
    }

    public string Name { get; }

    public InstancePool Pool { get; }

    public RequestLimits Limits => Pool.Limits;

    public IReadOnlyList<ModelInstance> Instances => Pool.Instances;
}
