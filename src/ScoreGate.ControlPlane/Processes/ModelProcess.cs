using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using ScoreGate.Router;
using ScoreGate.Router.Forwarding;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Routing;

namespace ScoreGate.ControlPlane.Processes;

/// <summary>
/// One instance of a process deployment: runs the command with PORT set, and restarts it when it
/// exits, after a backoff that doubles from 1 s to 30 s (and starts over once a run has lasted a
/// minute). It keeps its port across restarts, so its URL never changes.
/// </summary>
internal sealed partial class ModelProcess : IAsyncDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableRun = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly DeploymentProcess _spec;
    private readonly int _index;
    private readonly ProcessLog _log;
    private readonly string _owner;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _supervising;
    private volatile Process? _current;

    /// <param name="spec">What to run.</param>
    /// <param name="index">Which copy this is (0-based), in logs.</param>
    /// <param name="log">Where its output goes.</param>
    /// <param name="owner">"Endpoint E, deployment D", in logs.</param>
    /// <param name="gatedByProbe">True when a readiness probe, not the open port, says when it takes requests.</param>
    /// <param name="logger">The router's log.</param>
    /// <param name="scoring">Where it scores, when not on /score (inference_config.scoring_route).</param>
    /// <param name="socketPath">
    /// For the inference host: the Unix socket it listens on (told through SCOREGATE_SOCKET), in a
    /// folder only the router's user can enter. Null for a command, which is told a loopback PORT.
    /// </param>
    public ModelProcess(DeploymentProcess spec, int index, ProcessLog log, string owner, bool gatedByProbe, ModelRoute? scoring, string? socketPath, ILogger logger)
    {
        _spec = spec;
        _index = index;
        _log = log;
        _owner = owner;
        _logger = logger;
        _socketPath = socketPath;
        Port = socketPath is null ? FreePort() : 0;
        var url = socketPath is null ? new Uri($"http://127.0.0.1:{Port}") : ModelSockets.Register(socketPath);

        // Ready only while its own process runs: whatever answers on its address meanwhile is not it.
        Instance = new ModelInstance(url, scoring) { Ready = false, Restart = Kill, Running = () => _current is { HasExited: false } };
        _supervising = SuperviseAsync(gatedByProbe);
    }

    private readonly string? _socketPath;

    public int Port { get; }

    /// <summary>The instance the data plane routes to: not ready while the process is down or starting.</summary>
    public ModelInstance Instance { get; }

    private Uri Url => Instance.Url;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _supervising.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        if (_socketPath is not null)
        {
            ModelSockets.Unregister(Url);
        }
    }

    private async Task SuperviseAsync(bool gatedByProbe)
    {
        var backoff = FirstBackoff;
        while (!_stopping.IsCancellationRequested)
        {
            var started = Stopwatch.StartNew();
            int? exitCode = null;
            Process? process = null;
            try
            {
                process = Start();
                _current = process;
                Log.Started(_logger, _owner, _index, process.Id, Url);
                _ = gatedByProbe ? Task.CompletedTask : WaitUntilListeningAsync();
                await process.WaitForExitAsync(_stopping.Token);
                exitCode = process.ExitCode;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                Stop(process);
                break;
            }
            catch (Exception error) when (error is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                _log.Add(_index, $"could not start: {error.Message}");
                Log.StartFailed(_logger, _owner, _index, error.Message);
            }
            finally
            {
                // Down: no requests, and a readiness probe must pass again after the restart.
                Instance.Ready = false;
                Instance.Health.Restarted();
                _current = null;
                process?.Dispose();
            }

            backoff = started.Elapsed >= StableRun ? FirstBackoff : backoff;
            Log.Exited(_logger, _owner, _index, exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", backoff.TotalSeconds);
            try
            {
                await Task.Delay(backoff, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
        }
    }

    private Process Start()
    {
        var info = new ProcessStartInfo(_spec.Command[0])
        {
            WorkingDirectory = _spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in _spec.Command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        // The router's own runtime tuning is not the model's; a deployment may still set it. Nor are
        // its settings: SCOREGATE_store may hold a database password.
        info.Environment.Remove(InlineSocketCompletions.Variable);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("SCOREGATE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in _spec.EnvironmentVariables)
        {
            info.Environment[name] = value;
        }

        if (_socketPath is null)
        {
            info.Environment["PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            // A socket left by the previous run would refuse the new one's bind.
            File.Delete(_socketPath);
            info.Environment["SCOREGATE_SOCKET"] = _socketPath;
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _log.Add(_index, line);
        }
    }

    /// <summary>Without a readiness probe, it takes requests once its port accepts connections.</summary>
    private async Task WaitUntilListeningAsync()
    {
        var process = _current;
        while (process is { HasExited: false } && !_stopping.IsCancellationRequested)
        {
            try
            {
                using var socket = _socketPath is null
                    ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
                    : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(_socketPath is null ? new IPEndPoint(IPAddress.Loopback, Port) : new UnixDomainSocketEndPoint(_socketPath), _stopping.Token);
                Instance.Ready = true;
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>For a failed liveness probe: ends the running copy; the supervising loop starts it again.</summary>
    private void Kill() => Stop(_current);

    /// <summary>Ends the process and anything it started (a shell's children included).</summary>
    private static void Stop(Process? process)
    {
        if (process is null)
        {
            return;
        }

        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(StopGrace);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 45, EventName = nameof(EventIds.ModelProcessStarted), Level = LogLevel.Information,
            Message = "{Owner}: instance {Index} started (pid {ProcessId}) at {Url}.")]
        public static partial void Started(ILogger logger, string owner, int index, int processId, Uri url);

        [LoggerMessage(EventId = 46, EventName = nameof(EventIds.ModelProcessExited), Level = LogLevel.Warning,
            Message = "{Owner}: instance {Index} exited (code {ExitCode}); it takes no requests and restarts in {BackoffSeconds} s. 'scoregate deployment logs' shows its output.")]
        public static partial void Exited(ILogger logger, string owner, int index, string exitCode, double backoffSeconds);

        [LoggerMessage(EventId = 47, EventName = nameof(EventIds.ModelProcessStartFailed), Level = LogLevel.Error,
            Message = "{Owner}: instance {Index} could not be started: {Reason}. Check backend.command and backend.working_directory, or for a scoring script the pythonCommand setting.")]
        public static partial void StartFailed(ILogger logger, string owner, int index, string reason);
    }
}
