using Microsoft.Extensions.Hosting;

namespace ScoreGate.Hosting;

/// <summary>
/// A host lifetime that leaves Ctrl-C and SIGTERM to the command line, which cancels the
/// command and stops every host it started (the router, and the sample model in quickstart)
/// in order.
/// </summary>
internal sealed class CommandLineLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
