using System.CommandLine;

namespace ScoreGate.Cli;

/// <summary>The <c>scoregate</c> command tree (DESIGN.md §5).</summary>
public static class ScoreGateCli
{
    /// <summary>Ctrl-C and SIGTERM cancel the command; it gets this long to stop its hosts cleanly.</summary>
    public static InvocationConfiguration Invocation { get; } = new() { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) };

    public static RootCommand Create()
    {
        var root = new RootCommand("ScoreGate: a secure front door for machine-learning scoring endpoints.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(EndpointCommands.Create());
        root.Subcommands.Add(DeploymentCommands.Create());
        root.Subcommands.Add(TlsCommands.Create());
        root.Subcommands.Add(DnsCommands.Create());
        root.Subcommands.Add(StatusCommand.Create());
        return root;
    }
}
