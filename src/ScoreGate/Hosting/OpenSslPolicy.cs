using System.Runtime.InteropServices;

namespace ScoreGate.Hosting;

/// <summary>
/// Points OpenSSL at ScoreGate's TLS policy (scoregate-openssl.cnf) before the first
/// cryptographic call, unless the user set OPENSSL_CONF. It goes through libc's setenv because
/// .NET keeps its own copy of the environment on Unix, which OpenSSL's getenv does not see.
/// </summary>
internal static partial class OpenSslPolicy
{
    public const string FileName = "scoregate-openssl.cnf";

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OPENSSL_CONF") is not null)
        {
            return;
        }

        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (File.Exists(path))
        {
            _ = SetEnvironment("OPENSSL_CONF", path, 1);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
