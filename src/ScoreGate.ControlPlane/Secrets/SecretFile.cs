using System.Security.Cryptography;
using ScoreGate.Certificates.Files;

namespace ScoreGate.ControlPlane.Secrets;

/// <summary>
/// A random secret kept in one 0600 file of <c>stateDir</c>, made on first use. A file that
/// others can read is refused: the secret may already have leaked, and a person must decide.
/// </summary>
public static class SecretFile
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <exception cref="SecretFileException">The file exists but is unreadable, damaged or not private.</exception>
    public static byte[] LoadOrCreate(string path, int length)
    {
        if (!File.Exists(path))
        {
            var secret = RandomNumberGenerator.GetBytes(length);
            PrivateFile.WriteAllText(path, Convert.ToBase64String(secret) + "\n");
            return secret;
        }

        return Load(path, length);
    }

    /// <param name="path">The file.</param>
    /// <param name="length">How many bytes the secret has.</param>
    /// <param name="allowGroupRead">
    /// For a file the platform mounts rather than one ScoreGate writes: Kubernetes gives a
    /// Secret's files to the pod's fsGroup with group read (0440), which is still private to the pod.
    /// </param>
    /// <exception cref="SecretFileException">The file is missing, unreadable, damaged or not private.</exception>
    public static byte[] Load(string path, int length, bool allowGroupRead = false)
    {
        var forbidden = allowGroupRead ? GroupOrOthers & ~UnixFileMode.GroupRead : GroupOrOthers;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & forbidden) != 0)
        {
            throw new SecretFileException(
                $"'{path}' can be read by other users (mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}). Make it private with: chmod 600 '{path}'.");
        }

        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SecretFileException($"'{path}' cannot be read: {error.Message}");
        }

        var buffer = new byte[length];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written != length)
        {
            throw new SecretFileException($"'{path}' is damaged: it should hold {length} random bytes in base64. Restore it from a backup; without it the stored keys cannot be read.");
        }

        return buffer;
    }
}

/// <summary>A secret file that cannot be used, with the reason and the fix.</summary>
public sealed class SecretFileException(string message) : Exception(message);
