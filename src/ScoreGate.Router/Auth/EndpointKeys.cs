using System.Security.Cryptography;
using System.Text;

namespace ScoreGate.Router.Auth;

/// <summary>
/// An endpoint's primary and secondary keys as bytes, checked in constant time. Both keys are
/// always valid, so regenerating one never breaks clients that use the other.
/// </summary>
public sealed class EndpointKeys
{
    /// <summary>Longer than any key ScoreGate issues; longer tokens are refused without copying.</summary>
    private const int MaxTokenChars = 256;

    private readonly byte[] _primary;
    private readonly byte[] _secondary;

    public EndpointKeys(string primary, string secondary)
    {
        _primary = Encoding.UTF8.GetBytes(primary);
        _secondary = Encoding.UTF8.GetBytes(secondary);
    }

    /// <summary>True when <paramref name="token"/> equals either key. Both comparisons always run.</summary>
    public bool Accepts(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty || token.Length > MaxTokenChars)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(token.Length)];
        var bytes = buffer[..Encoding.UTF8.GetBytes(token, buffer)];
        var primary = CryptographicOperations.FixedTimeEquals(bytes, _primary);
        var secondary = CryptographicOperations.FixedTimeEquals(bytes, _secondary);
        return primary | secondary;
    }
}
