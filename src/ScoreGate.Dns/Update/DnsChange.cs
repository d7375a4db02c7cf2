using ScoreGate.Dns.Wire;

namespace ScoreGate.Dns.Update;

/// <summary>One entry of an UPDATE's update section (RFC 2136 2.5).</summary>
public sealed record DnsChange(DnsRecord Record)
{
    /// <summary>Adds a record to its set (RFC 2136 2.5.1).</summary>
    public static DnsChange Add(DnsRecord record) => new(record);

    /// <summary>Deletes every record of one type at a name (RFC 2136 2.5.2).</summary>
    public static DnsChange DeleteSet(string name, DnsType type) => new(new DnsRecord(name, type, DnsClass.Any, 0, ReadOnlyMemory<byte>.Empty));

    /// <summary>Deletes one record (RFC 2136 2.5.4).</summary>
    public static DnsChange Delete(DnsRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record with { Class = DnsClass.None, Ttl = 0 });
    }

    /// <summary>Makes <paramref name="records"/> the whole set of their name and type, in one atomic update.</summary>
    public static IReadOnlyList<DnsChange> Replace(IReadOnlyList<DnsRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var sets = records.Select(r => (Name: DnsName.Canonical(r.Name), r.Type)).Distinct();
        return [.. sets.Select(s => DeleteSet(s.Name, s.Type)), .. records.Select(Add)];
    }
}
