using System.Security.Cryptography;
using ScoreGate.ControlPlane.Settings;

namespace ScoreGate.ControlPlane.Managed;

/// <summary>Names of the form <c>&lt;label&gt;&lt;6 random [a-z0-9]&gt;.&lt;region&gt;.&lt;dnsZone&gt;</c> (DESIGN.md §2).</summary>
public static class GeneratedNames
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string Generate(string label, ManagedSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var suffix = RandomNumberGenerator.GetString(Alphabet, 6);
        return $"{label}{suffix}.{settings.Region}.{settings.DnsZone}";
    }

    /// <summary>True when <paramref name="hostName"/> was generated from <paramref name="label"/> under today's region and zone.</summary>
    public static bool Belongs(string hostName, string label, ManagedSettings settings)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        ArgumentNullException.ThrowIfNull(settings);
        var tail = $".{settings.Region}.{settings.DnsZone}";
        if (!hostName.EndsWith(tail, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var first = hostName[..^tail.Length];
        return first.Length == label.Length + 6 && first.StartsWith(label, StringComparison.OrdinalIgnoreCase);
    }
}
