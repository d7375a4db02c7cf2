using System.Security.Cryptography;

namespace ScoreGate.ControlPlane.Secrets;

/// <summary>
/// The token that guards the admin API. <c>serve</c> makes it once in <c>stateDir/admin.token</c>
/// (0600) and keeps it across restarts; CLI verbs read it from there.
/// </summary>
public sealed class AdminToken
{
    private const int Size = 32;
    private readonly byte[] _token;

    private AdminToken(byte[] token) => _token = token;

    /// <summary>What clients send: <c>Authorization: Bearer &lt;Value&gt;</c>.</summary>
    public string Value => Convert.ToBase64String(_token);

    public static AdminToken LoadOrCreate(string stateDir) => new(SecretFile.LoadOrCreate(StateFiles.AdminToken(stateDir), Size));

    /// <exception cref="SecretFileException">No token yet (the router never ran with this stateDir), or it is unusable.</exception>
    public static AdminToken Load(string stateDir)
    {
        var path = StateFiles.AdminToken(stateDir);
        if (!File.Exists(path))
        {
            throw new SecretFileException($"There is no admin token at '{path}'. Start 'scoregate serve' with this stateDir first, or point --stateDir at the router's.");
        }

        return new(SecretFile.Load(path, Size));
    }

    public bool Matches(ReadOnlySpan<char> presented)
    {
        Span<byte> bytes = stackalloc byte[Size];
        return Convert.TryFromBase64Chars(presented, bytes, out var written) && written == Size &&
            CryptographicOperations.FixedTimeEquals(bytes, _token);
    }

    public override string ToString() => "AdminToken(****)";
}
