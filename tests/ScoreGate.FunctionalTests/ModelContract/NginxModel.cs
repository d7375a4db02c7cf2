using System.Globalization;
using System.Net.Sockets;

namespace ScoreGate.FunctionalTests.ModelContract;

/// <summary>
/// A real nginx on loopback as a model (config in a temp directory, one process, no master,
/// stopped by its PID). Three servers, each on its own free port:
/// <list type="bullet">
/// <item><see cref="MainUrl"/>: fixed JSON for /score; <c>?file=1m</c> / <c>?file=5m</c> serve
/// 1 MiB / 5 MiB static files with sendfile; <c>?status=503</c> answers 503 with a JSON body.</item>
/// <item><see cref="IdleUrl"/>: <c>keepalive_timeout 1s</c>, so nginx closes idle connections.</item>
/// <item><see cref="LimitedUrl"/>: <c>keepalive_requests 3</c>, so nginx closes a connection after three requests.</item>
/// </list>
/// The access log records <c>$server_port $connection $connection_requests</c> per request.
/// </summary>
public sealed class NginxModel : IAsyncDisposable
{
    public const string FixedAnswer = """{"server": "nginx", "fixed": true}""";

    private readonly TempDirectory _dir;
    private readonly ProcessRun _process;

    private NginxModel(TempDirectory dir, ProcessRun process, int main, int idle, int limited)
    {
        _dir = dir;
        _process = process;
        MainPort = main;
        IdlePort = idle;
        LimitedPort = limited;
    }

    public int MainPort { get; }

    public int IdlePort { get; }

    public int LimitedPort { get; }

    public string MainUrl => $"http://127.0.0.1:{MainPort}/";

    public string IdleUrl => $"http://127.0.0.1:{IdlePort}/";

    public string LimitedUrl => $"http://127.0.0.1:{LimitedPort}/";

    public string File1M => _dir.File("files/big1m.bin");

    public string File5M => _dir.File("files/big5m.bin");

    public static async Task<NginxModel> StartAsync()
    {
        var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("files"));
        File.WriteAllBytes(dir.File("files/big1m.bin"), ContractRouter.RandomBytes(1024 * 1024, seed: 11));
        File.WriteAllBytes(dir.File("files/big5m.bin"), ContractRouter.RandomBytes(5 * 1024 * 1024, seed: 13));
        var (main, idle, limited) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var d = dir.Path;
        var config = dir.Write("nginx.conf", $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{d}}/nginx.pid;
            error_log {{d}}/error.log warn;
            events { worker_connections 512; }
            http {
              client_body_temp_path {{d}}/body;
              proxy_temp_path {{d}}/proxy;
              fastcgi_temp_path {{d}}/fastcgi;
              uwsgi_temp_path {{d}}/uwsgi;
              scgi_temp_path {{d}}/scgi;
              client_max_body_size 100m;
              log_format contract '$server_port $connection $connection_requests $request_method $uri $status';
              access_log {{d}}/access.log contract;
              sendfile on;
              default_type application/json;
              server {
                listen 127.0.0.1:{{main}};
                keepalive_timeout 60s;
                location = /score {
                  if ($arg_file = "1m") { rewrite ^ /files/big1m.bin last; }
                  if ($arg_file = "5m") { rewrite ^ /files/big5m.bin last; }
                  if ($arg_status = "503") { return 503 '{"nginx": "busy"}'; }
                  return 200 '{{FixedAnswer}}';
                }
                location /files/ {
                  alias {{d}}/files/;
                  default_type application/octet-stream;
                  # Static files answer GET; a POST gets 405, which becomes a GET of the same file.
                  error_page 405 =200 $uri;
                }
              }
              server {
                listen 127.0.0.1:{{idle}};
                keepalive_timeout 1s;
                location / { return 200 '{{FixedAnswer}}'; }
              }
              server {
                listen 127.0.0.1:{{limited}};
                keepalive_timeout 60s;
                keepalive_requests 3;
                location / { return 200 '{{FixedAnswer}}'; }
              }
            }
            """);
        var process = ProcessRun.Start(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx", ["-p", d, "-c", config, "-e", $"{d}/error.log"]);
        var model = new NginxModel(dir, process, main, idle, limited);
        await Eventually.TrueAsync(() => process.HasExited || (Accepts(main) && Accepts(idle) && Accepts(limited)),
            "nginx did not start listening", TimeSpan.FromSeconds(60));
        if (process.HasExited)
        {
            throw new InvalidOperationException($"nginx exited {process.ExitCode}: {process.AllOutput}\n{model.ErrorLog()}");
        }

        return model;
    }

    /// <summary>The access log lines for requests to <paramref name="port"/>: (connection serial, request number on it).</summary>
    public IReadOnlyList<(long Connection, int Request)> Requests(int port)
    {
        var log = _dir.File("access.log");
        if (!File.Exists(log))
        {
            return [];
        }

        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(fields => fields[0] == port.ToString(CultureInfo.InvariantCulture))
            .Select(fields => (long.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture)))
            .ToList();
    }

    public string ErrorLog() => File.Exists(_dir.File("error.log")) ? File.ReadAllText(_dir.File("error.log")) : "";

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>TCP connections on loopback as the kernel lists them (/proc/net/tcp): what a test waits on instead of sleeping.</summary>
public static class LoopbackConnections
{
    /// <summary>Established connections whose local port is <paramref name="serverPort"/>: the server's side of its open connections.</summary>
    public static int EstablishedAt(int serverPort)
    {
        var hexPort = serverPort.ToString("X4", CultureInfo.InvariantCulture);
        return File.ReadAllLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(fields => fields[1].EndsWith(":" + hexPort, StringComparison.Ordinal) && fields[3] == "01");
    }
}
