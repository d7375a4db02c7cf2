namespace ScoreGate.FunctionalTests.ModelContract;

/// <summary>
/// TestData/contract_model.py (standard library http.server) on a free loopback port, run by
/// Debian's /usr/bin/python3 and stopped by its PID. The query parameter <c>case</c> picks the behaviour.
/// </summary>
public sealed class PythonModel : IAsyncDisposable
{
    private readonly ProcessRun _process;

    private PythonModel(ProcessRun process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public static async Task<PythonModel> StartAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "ModelContract", "TestData", "contract_model.py");
        var port = FreePort.Next();
        var process = ProcessRun.Start("/usr/bin/python3", ["-u", script, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await process.WaitForLineAsync(line => line.StartsWith("listening", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        return new PythonModel(process, port);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
