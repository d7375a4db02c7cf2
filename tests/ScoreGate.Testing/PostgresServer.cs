using System.Globalization;
using Npgsql;

namespace ScoreGate.Testing;

/// <summary>
/// A throwaway PostgreSQL server on loopback (recipe in RECIPES.md): its own data directory and
/// port, no password (trust on loopback), fsync off. Stopped the way an operator would
/// (SIGINT, a fast shutdown that disconnects clients) and started again on the same port and
/// data, so tests can cut the store away from running routers and bring it back.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly string _binaries;
    private ProcessRun? _process;

    private PostgresServer(TempDirectory directory, string binaries, int port)
    {
        _directory = directory;
        _binaries = binaries;
        Port = port;
    }

    public int Port { get; }

    public string Log => _process?.AllOutput ?? string.Empty;

    private static bool IsRoot => Environment.UserName == "root";

    public static async Task<PostgresServer> StartAsync()
    {
        var binaries = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderDescending().FirstOrDefault(d => File.Exists(Path.Combine(d, "postgres")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (scripts/test installs the Debian package 'postgresql').");
        var directory = new TempDirectory();
        var server = new PostgresServer(directory, binaries, FreePort.Next());
        try
        {
            Directory.CreateDirectory(directory.File("sock"));
            if (IsRoot)
            {
                // PostgreSQL refuses to run as root: the data belongs to the postgres user.
                File.SetUnixFileMode(directory.Path, (UnixFileMode)Convert.ToInt32("755", 8));
                await RunAsync("chown", ["-R", "postgres:", directory.Path]);
            }

            await RunAsync(AsPostgres(Path.Combine(binaries, "initdb")), [.. AsPostgresArguments(Path.Combine(binaries, "initdb")), "-D", directory.File("data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"]);
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/>, as a user would write it.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Database={database};Username=postgres;Pooling=true";

    /// <summary>A new empty database, so tests sharing the server do not see each other.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Fast shutdown: clients are disconnected at once, as when the database host goes away.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            await process.TerminateAsync(TimeSpan.FromSeconds(30), "INT");
        }
    }

    /// <summary>Starts the server again on the same port with the same data.</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (TimeoutException)
        {
        }

        _process?.Dispose();
        _directory.Dispose();
    }

    private async Task StartProcessAsync()
    {
        _process?.Dispose();
        var postgres = Path.Combine(_binaries, "postgres");
        _process = ProcessRun.Start(AsPostgres(postgres), [.. AsPostgresArguments(postgres), "-D", _directory.File("data"), "-c", "listen_addresses=127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-c", $"unix_socket_directories={_directory.File("sock")}", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=300"]);
        await _process.WaitForLineAsync(l => l.Contains("database system is ready to accept connections", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    // As root, setpriv runs the server as postgres and then is the server (same PID, so signals reach it).
    private static string AsPostgres(string program) => IsRoot ? "setpriv" : program;

    private static string[] AsPostgresArguments(string program) => IsRoot ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program] : [];

    private static async Task RunAsync(string program, string[] arguments)
    {
        var run = await ProcessRun.RunAsync(program, arguments, TimeSpan.FromSeconds(60));
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed:\n{run.AllOutput}");
        }
    }
}
