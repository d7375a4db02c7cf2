namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>Traffic weights: whole percents per existing deployment, adding up to 0 or 100.</summary>
public static class TrafficRules
{
    public static string? Check(string endpointName, IReadOnlyDictionary<string, int> traffic, IReadOnlyCollection<string> deploymentNames)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        var problems = new List<string>();
        foreach (var (deployment, percent) in traffic)
        {
            if (!deploymentNames.Contains(deployment, StringComparer.OrdinalIgnoreCase))
            {
                var known = deploymentNames.Count == 0 ? "it has none yet" : $"it has {string.Join(", ", deploymentNames)}";
                problems.Add($"traffic names deployment '{deployment}', which endpoint '{endpointName}' does not have ({known})");
            }

            if (percent is < 0 or > 100)
            {
                problems.Add($"traffic for '{deployment}' is {percent}; give a whole percent from 0 to 100");
            }
        }

        var sum = traffic.Values.Sum();
        if (sum is not (0 or 100) && problems.Count == 0)
        {
            problems.Add($"traffic adds up to {sum}; the weights must add up to 100 (or 0 to stop all traffic), for example blue=90,green=10");
        }

        return problems.Count == 0 ? null : $"Endpoint '{endpointName}': {string.Join("; ", problems)}.";
    }

    /// <summary>
    /// Mirror traffic (Azure ML's rules): to one deployment, at most 50 %, and not to one that
    /// takes live traffic, since its answers to copies would be thrown away.
    /// </summary>
    public static string? CheckMirror(string endpointName, IReadOnlyDictionary<string, int> mirror, IReadOnlyDictionary<string, int> traffic, IReadOnlyCollection<string> deploymentNames)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        ArgumentNullException.ThrowIfNull(traffic);
        var given = mirror.Where(m => m.Value > 0).ToList();
        if (given.Count > 1)
        {
            return $"Endpoint '{endpointName}': mirror_traffic names {given.Count} deployments ({string.Join(", ", given.Select(g => g.Key))}); mirror to one at a time.";
        }

        if (given.Count == 0)
        {
            return null;
        }

        var (deployment, percent) = given[0];
        if (!deploymentNames.Contains(deployment, StringComparer.OrdinalIgnoreCase))
        {
            return $"Endpoint '{endpointName}': mirror_traffic names deployment '{deployment}', which it does not have. Create the deployment first.";
        }

        if (percent > 50)
        {
            return $"Endpoint '{endpointName}': mirror_traffic for '{deployment}' is {percent}; mirror at most 50 percent.";
        }

        return traffic.FirstOrDefault(t => t.Value > 0 && string.Equals(t.Key, deployment, StringComparison.OrdinalIgnoreCase)).Key is { } live
            ? $"Endpoint '{endpointName}': deployment '{live}' cannot take live and mirrored traffic at once. To give it live traffic, stop its mirror first (--mirror-traffic {live}=0, or mirror_traffic: {{{live}: 0}} in the same file); to mirror to it, give it 0 live traffic."
            : null;
    }
}
