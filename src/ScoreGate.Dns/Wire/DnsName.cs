using System.Text;

namespace ScoreGate.Dns.Wire;

/// <summary>Domain names in presentation form ("a.example.com", trailing dot optional), checked against RFC 1035 2.3.4.</summary>
public static class DnsName
{
    public const int MaxLength = 255;
    public const int MaxLabelLength = 63;

    /// <returns>Null when the name can be written on the wire, else why not.</returns>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = Trim(name);
        if (trimmed.Length == 0)
        {
            return null; // the root
        }

        if (WireLength(trimmed) > MaxLength)
        {
            return $"'{name}' is longer than {MaxLength} bytes on the wire.";
        }

        foreach (var label in trimmed.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength)
            {
                return $"'{name}' has a label of {label.Length} characters; each must have 1 to {MaxLabelLength}.";
            }

            if (!Ascii.IsValid(label))
            {
                return $"'{name}' is not ASCII; give internationalized names in their xn-- (punycode) form.";
            }
        }

        return null;
    }

    public static string Trim(string name) => name.EndsWith('.') ? name[..^1] : name;

    /// <summary>Lower-case and without the trailing dot: how names compare and how TSIG signs them (RFC 8945 4.3.3).</summary>
    public static string Canonical(string name) => Trim(name).ToLowerInvariant();

    /// <summary>True when <paramref name="name"/> is <paramref name="zone"/> or below it.</summary>
    public static bool IsInZone(string name, string zone)
    {
        var n = Canonical(name);
        var z = Canonical(zone);
        return z.Length == 0 || n == z || n.EndsWith("." + z, StringComparison.Ordinal);
    }

    internal static int WireLength(string name)
    {
        var trimmed = Trim(name);
        return trimmed.Length == 0 ? 1 : Encoding.ASCII.GetByteCount(trimmed) + 2;
    }
}
