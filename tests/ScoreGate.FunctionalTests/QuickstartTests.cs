using System.Text.Json;

namespace ScoreGate.FunctionalTests;

/// <summary>The README's first command, run as written: it must print a curl line that scores.</summary>
public sealed class QuickstartTests
{
    [Fact]
    public async Task ReadmeQuickstartCommand_AsWritten_PrintsCurlLineThatScores_AndStopsOnCtrlC()
    {
        var command = ReadmeSetupCommands()[0];
        Assert.Equal("dotnet run --project src/ScoreGate -- quickstart", command);
        using var state = new TempDirectory();

        // Ports and stateDir come from the environment, so the command line stays exactly as written.
        using var quickstart = ProcessRun.Start("setsid", ["bash", "-c", command], RepositoryPaths.Root, new Dictionary<string, string>
        {
            ["SCOREGATE_httpsPort"] = $"{FreePort.Next()}",
            ["SCOREGATE_httpPort"] = $"{FreePort.Next()}",
            ["SCOREGATE_adminUrl"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["SCOREGATE_stateDir"] = state.Path,
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        });
        var curl = await quickstart.WaitForLineAsync(l => l.StartsWith("curl ", StringComparison.Ordinal), TimeSpan.FromMinutes(3));

        using var scored = await ProcessRun.RunAsync("bash", ["-c", curl + " --fail-with-body -sS"], TimeSpan.FromSeconds(30));

        Assert.True(scored.ExitCode == 0, scored.AllOutput);
        using var answer = JsonDocument.Parse(scored.StandardOutput);
        Assert.Equal(["setosa", "virginica"], answer.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("--cacert", curl);
        Assert.Contains("Authorization: Bearer ", curl);

        // Ctrl-C reaches the whole foreground process group, as in a terminal.
        using (await ProcessRun.RunAsync("kill", ["-INT", "--", $"-{quickstart.Id}"], TimeSpan.FromSeconds(10)))
        {
        }

        await quickstart.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("quickstart stopped.", quickstart.StandardOutput);
    }

    /// <summary>The commands of the README's first code block, comments stripped.</summary>
    internal static IReadOnlyList<string> ReadmeSetupCommands()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));
        return lines
            .SkipWhile(l => !l.StartsWith("```", StringComparison.Ordinal))
            .Skip(1)
            .TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal))
            .Select(l => l.Split('#')[0].Trim())
            .Where(l => l.Length > 0)
            .ToList();
    }
}
