namespace ScoreGate.FunctionalTests;

/// <summary>
/// The inference host's own tests (src/inference-host/tests, Python's unittest against the real
/// host process) run with the rest, so .ci/run covers every shape the host supports, not only
/// those the functional tests deploy through the router.
/// </summary>
public sealed class InferenceHostSuiteTests
{
    [Fact]
    public async Task PythonSuite_Passes()
    {
        var host = Path.Combine(RepositoryPaths.Root, "src", "inference-host");
        var run = await ProcessRun.RunAsync(ScoringScriptTests.DebianPython, ["-m", "unittest", "discover", "-s", Path.Combine(host, "tests")], TimeSpan.FromMinutes(5), host);

        Assert.True(run.ExitCode == 0, $"The inference host's Python tests failed:\n{run.StandardError}\n{run.StandardOutput}");
        Assert.Matches(@"Ran [1-9]\d* tests", run.StandardError);
    }
}
