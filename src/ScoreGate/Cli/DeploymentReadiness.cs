using System.Text.Json;
using static ScoreGate.Cli.ClientCommand;

namespace ScoreGate.Cli;

/// <summary>
/// <c>--all-traffic</c> waits, as <c>az ml online-deployment create</c> does, until the deployment's
/// instances are ready: traffic never moves to a deployment that cannot serve it.
/// </summary>
internal static class DeploymentReadiness
{
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <returns>Null once every instance is ready; otherwise why it is not.</returns>
    public static async Task<string?> WaitAsync(AdminClient client, string endpoint, string deployment, CancellationToken cancellationToken)
    {
        var show = new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(endpoint)}/deployments/{Segment(deployment)}");
        var deadline = DateTime.UtcNow + Longest;
        var announced = false;
        while (true)
        {
            var answer = await client.CallAsync(show, cancellationToken);
            if (answer is null)
            {
                return "the router's admin API could not be reached";
            }

            if (!answer.Succeeded)
            {
                return AdminClient.Describe(show, answer);
            }

            using var view = JsonDocument.Parse(answer.Text);
            var instances = view.RootElement.GetProperty("instances").EnumerateArray().ToList();
            if (instances.Count > 0 && instances.All(i => i.GetProperty("ready").GetBoolean()))
            {
                return null;
            }

            var problem = instances
                .Select(i => i.TryGetProperty("problem", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null)
                .FirstOrDefault(p => p is not null);

            // The inference host says when a script cannot start at all: waiting longer will not help.
            if (problem is not null && (problem.Contains("init() failed", StringComparison.Ordinal) || problem.Contains("could not be loaded", StringComparison.Ordinal)))
            {
                return problem;
            }

            if (DateTime.UtcNow > deadline)
            {
                return problem ?? $"its instances are not ready after {Longest.TotalMinutes:0} minutes";
            }

            if (!announced)
            {
                await Console.Error.WriteLineAsync($"Waiting for deployment '{deployment}' to be ready before it gets the traffic (its readiness probe first looks after initial_delay)...");
                announced = true;
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }
}
