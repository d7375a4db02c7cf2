using System.Security.Cryptography;

namespace ScoreGate.Testing;

/// <summary>
/// A throwaway BIND 9 (<c>named -g</c>) on loopback, primary for one zone that accepts RFC 2136
/// updates signed with one TSIG key (recipe verified in RECIPES.md). Stopped by its own PID.
/// </summary>
public sealed class BindServer : IDisposable
{
    private readonly TempDirectory _directory;
    private readonly ProcessRun _process;

    private BindServer(TempDirectory directory, ProcessRun process, int port, string zone, string keyName, string secret, string algorithm)
    {
        _directory = directory;
        _process = process;
        Port = port;
        Zone = zone;
        KeyName = keyName;
        Secret = secret;
        Algorithm = algorithm;
    }

    public int Port { get; }

    public string Zone { get; }

    public string KeyName { get; }

    public string Secret { get; }

    public string Algorithm { get; }

    public string Address => $"127.0.0.1:{Port}";

    public string Log => _process.AllOutput;

    public static async Task<BindServer> StartAsync(string zone = "endpoints.test", string algorithm = "hmac-sha256")
    {
        var directory = new TempDirectory();
        var port = FreePort.Next();
        var dir = directory.Path;
        var keyName = "ddns-key";
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        directory.Write("ddns.key", $"key \"{keyName}\" {{ algorithm {algorithm}; secret \"{secret}\"; }};\n");
        directory.Write($"{zone}.zone", $"""
            $TTL 60
            @ IN SOA ns1.{zone}. hostmaster.{zone}. ( 1 60 60 600 60 )
              IN NS ns1.{zone}.
            ns1 IN A 127.0.0.1

            """);
        var conf = directory.Write("named.conf", $$"""
            options {
              directory "{{dir}}"; pid-file "{{dir}}/named.pid"; session-keyfile "{{dir}}/session.key";
              managed-keys-directory "{{dir}}";
              listen-on port {{port}} { 127.0.0.1; }; listen-on-v6 { none; };
              recursion no; allow-query { any; }; dnssec-validation no; notify no;
            };
            controls { };
            include "{{dir}}/ddns.key";
            zone "{{zone}}" { type primary; file "{{dir}}/{{zone}}.zone"; update-policy { grant {{keyName}} zonesub ANY; }; };

            """);
        var process = ProcessRun.Start("named", ["-g", "-c", conf]);
        var server = new BindServer(directory, process, port, zone, keyName, secret, algorithm);
        try
        {
            // Not "running on Linux...", printed first: the bare "running" comes once the zone is loaded.
            await process.WaitForLineAsync(l => l.TrimEnd().EndsWith(" running", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>What BIND answers for a name, as <c>dig +short</c> prints it (empty when nothing).</summary>
    public async Task<string> DigAsync(string name, string type = "A")
    {
        var run = await ProcessRun.RunAsync("dig", ["+short", "+time=2", "+tries=2", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "@127.0.0.1", name, type], TimeSpan.FromSeconds(15));
        return run.StandardOutput.Trim();
    }

    /// <summary>Runs nsupdate with the zone's key: the same updates an operator would make by hand.</summary>
    public async Task NsupdateAsync(params string[] updates)
    {
        var script = $"server 127.0.0.1 {Port}\nzone {Zone}.\n{string.Join("\n", updates)}\nsend\n";
        var run = await ProcessRun.RunAsync("nsupdate", ["-k", _directory.File("ddns.key")], TimeSpan.FromSeconds(15), standardInput: script);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"nsupdate failed:\n{run.AllOutput}");
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        _directory.Dispose();
    }
}
