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
}
