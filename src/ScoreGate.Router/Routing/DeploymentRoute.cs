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
    /// <param name="readiness">Its readiness probe, if any: new instances take requests only once it passes.</param>
    /// <param name="liveness">Its liveness probe, if any.</param>
    /// <param name="scoring">Where its instances score, when not on /score (inference_config.scoring_route).</param>
    public DeploymentRoute(
        string name, IReadOnlyList<Uri> instances, RequestLimits limits, DeploymentRoute? previous = null, ProbeSettings? readiness = null, ProbeSettings? liveness = null, ModelRoute? scoring = null)
    {
        ArgumentNullException.ThrowIfNull(instances);
        Name = name;
        Readiness = readiness;
        Liveness = liveness;
        var known = previous?.Pool.Instances.Where(i => i.Scoring == scoring).ToDictionary(i => i.Url) ?? [];
        Pool = new InstancePool([.. instances.Select(url => known.GetValueOrDefault(url) ?? new ModelInstance(url, scoring) { Ready = readiness is null })], limits);
        if (readiness is null && liveness is null)
        {
            // Probes removed: nothing can hold an instance back any more.
            foreach (var instance in Pool.Instances)
            {
                instance.Ready = true;
            }
        }
    }

    /// <summary>A deployment whose instances someone else owns (the processes the router runs), readiness and all.</summary>
    public DeploymentRoute(string name, IReadOnlyList<ModelInstance> instances, RequestLimits limits, ProbeSettings? readiness, ProbeSettings? liveness)
    {
        Name = name;
        Readiness = readiness;
        Liveness = liveness;
        Pool = new InstancePool(instances, limits);
    }

    public ProbeSettings? Readiness { get; }

    public ProbeSettings? Liveness { get; }

    public string Name { get; }

    public InstancePool Pool { get; }

    public RequestLimits Limits => Pool.Limits;

    public IReadOnlyList<ModelInstance> Instances => Pool.Instances;
}
