namespace ScoreGate.Testing;

/// <summary>
/// A secret directory laid out the way Kubernetes mounts one: <c>cert.pem -> ..data/cert.pem</c>,
/// <c>..data -> ..&lt;version&gt;</c>, and an update swaps <c>..data</c> atomically (rename(2)),
/// so readers see the old pair or the new pair, never a mix.
/// </summary>
public sealed class MountedSecret
{
    private int _version;

    public MountedSecret(string secretsRoot, string name)
    {
        Directory = Path.Combine(secretsRoot, name);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public async Task PublishAsync(TestCertificate certificate)
    {
        var version = $"..{DateTime.UtcNow:yyyy_MM_dd_HH_mm_ss}.{++_version}";
        certificate.WriteTo(Path.Combine(Directory, version));
        var staging = Path.Combine(Directory, "..data_tmp");
        File.CreateSymbolicLink(staging, version);
        using (var move = await ProcessRun.RunAsync("mv", ["-T", staging, Path.Combine(Directory, "..data")], TimeSpan.FromSeconds(10)))
        {
            if (move.ExitCode != 0)
            {
                throw new IOException($"Swapping ..data failed: {move.AllOutput}");
            }
        }

        foreach (var file in new[] { "cert.pem", "key.pem" })
        {
            var link = Path.Combine(Directory, file);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, Path.Combine("..data", file));
            }
        }
    }
}
