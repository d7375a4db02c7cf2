using System.Security.Cryptography;
using System.Text;

namespace ScoreGate.ControlPlane.Secrets;

/// <summary>
/// Encrypts secrets at rest (endpoint keys, and later certificate keys) with AES-256-GCM under
/// the master key in <c>stateDir/master.key</c>. The purpose (for example "endpoint/iris/primary")
/// is authenticated data, so a ciphertext moved to another row does not decrypt.
/// Stored form: <c>v1:</c> + base64(nonce ‖ ciphertext ‖ tag).
/// </summary>
public sealed class SecretProtector
{
    private const string Version = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    public const int MasterKeySize = 32;

    private readonly byte[] _masterKey;

    public SecretProtector(byte[] masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        if (masterKey.Length != MasterKeySize)
        {
            throw new ArgumentException($"The master key must be {MasterKeySize} bytes.", nameof(masterKey));
        }

        _masterKey = masterKey;
    }

    public static SecretProtector ForStateDir(string stateDir) =>
        new(SecretFile.LoadOrCreate(StateFiles.MasterKey(stateDir), MasterKeySize));

    /// <summary>The key given with <c>masterKeyFile</c>: never made here, since every router sharing the store needs the same one.</summary>
    public static SecretProtector ForKeyFile(string path) =>
        new(SecretFile.Load(path, MasterKeySize, allowGroupRead: true));

    public string Protect(string plaintext, string purpose)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + data.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_masterKey, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize, data.Length), output.AsSpan(NonceSize + data.Length), Encoding.UTF8.GetBytes(purpose));
        CryptographicOperations.ZeroMemory(data);
        return Version + Convert.ToBase64String(output);
    }

    /// <exception cref="CryptographicException">The value was not made with this master key and purpose.</exception>
    public string Unprotect(string stored, string purpose)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException($"A stored secret for '{purpose}' has an unknown format.");
        }

        var input = Convert.FromBase64String(stored[Version.Length..]);
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException($"A stored secret for '{purpose}' is truncated.");
        }

        var length = input.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(_masterKey, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, length), input.AsSpan(NonceSize + length), plaintext, Encoding.UTF8.GetBytes(purpose));
        var text = Encoding.UTF8.GetString(plaintext);
        CryptographicOperations.ZeroMemory(plaintext);
        return text;
    }
}
