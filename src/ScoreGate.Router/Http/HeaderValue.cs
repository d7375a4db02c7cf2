using Microsoft.Extensions.Primitives;

namespace ScoreGate.Router.Http;

/// <summary>
/// Whether a value a client (or a model) sent can be written back as a response header. Kestrel
/// throws on a control character or a non-ASCII character in a response header, so echoing one
/// unchecked turns a bad header into a 500 (RFC 9110 §5.5: field values are visible ASCII,
/// spaces and tabs; obs-text is not worth echoing).
/// </summary>
internal static class HeaderValue
{
    public static bool IsSafe(string? value) =>
        value is not null && !value.AsSpan().ContainsAnyExceptInRange(' ', '~');

    public static bool AreSafe(StringValues values)
    {
        foreach (var value in values)
        {
            if (!IsSafe(value))
            {
                return false;
            }
        }

        return true;
    }
}
