using System.Diagnostics;
using System.Text;

namespace ScoreGate.Testing;

/// <summary>
/// A child process with its output captured line by line, so tests can wait for a line,
/// read everything it printed (to check what was logged), signal it, and always kill it.
/// </summary>
public sealed class ProcessRun : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();

    private ProcessRun(Process process) => _process = process;

    public int Id => _process.Id;

    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public string AllOutput => StandardOutput + StandardError;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Fails with everything the process printed unless it exited with <paramref name="expected"/>:
    /// a bare "expected 1, actual 147" says nothing about why (an exit above 128 is a signal).
    /// </summary>
    public void ExpectExitCode(int expected)
    {
        if (ExitCode != expected)
        {
            var signal = ExitCode > 128 ? $" (killed by signal {ExitCode - 128})" : "";
            throw new InvalidOperationException($"Expected exit code {expected}, got {ExitCode}{signal}. Output:\n{AllOutput}");
        }
    }

    public static ProcessRun Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        // Through env --default-signal: a test run started in the background ('scripts/test &', as CI
        // systems and scripts do) has SIGINT and SIGQUIT ignored, and children inherit that. Each
        // process starts as a terminal would start it, so Ctrl-C tests mean the same everywhere.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        info.ArgumentList.Add("--default-signal=INT,QUIT");
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A clean slate: settings from the test's own environment must not leak in.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("SCOREGATE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var run = new ProcessRun(process);
        process.OutputDataReceived += (_, e) => run.Append(run._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => run.Append(run._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs <c>dotnet scoregate.dll args</c>, or <paramref name="executable"/> (a published binary) with the same arguments.</summary>
    public static ProcessRun StartScoreGate(IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, string? executable = null) =>
        executable is null
            ? Start("dotnet", [RepositoryPaths.ScoreGateDll, .. arguments], workingDirectory, environment)
            : Start(executable, arguments, workingDirectory, environment);

    /// <summary>Runs a command to completion (bounded by <paramref name="timeout"/>).</summary>
    public static async Task<ProcessRun> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, string? standardInput = null)
    {
        var run = Start(fileName, arguments, workingDirectory, environment);
        if (standardInput is not null)
        {
            await run._process.StandardInput.WriteAsync(standardInput);
        }

        run._process.StandardInput.Close();
        await run.WaitForExitAsync(timeout);
        return run;
    }

    /// <summary>Waits for a line for which <paramref name="match"/> holds; fails the test on timeout or exit.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var line = AllOutput.Split('\n').FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching line within {timeout} (exited: {_process.HasExited}). Output:\n{AllOutput}");
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"Process did not exit within {timeout}. Output:\n{AllOutput}");
        }
    }

    /// <summary>Asks the process to stop as a service manager would (SIGTERM, or <paramref name="signal"/>), and waits for it to exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout, string signal = "TERM")
    {
        using (var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await WaitForExitAsync(timeout);
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.AppendLine(line);
        }
    }
}
