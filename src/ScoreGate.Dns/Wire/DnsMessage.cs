namespace ScoreGate.Dns.Wire;

/// <summary>
/// A DNS message (RFC 1035 4.1). For an UPDATE (RFC 2136 2) the sections are named zone,
/// prerequisite, update and additional, but have the same shape as question, answer,
/// authority and additional.
/// </summary>
public sealed record DnsMessage
{
    public const ushort ResponseFlag = 0x8000;
    public const ushort TruncatedFlag = 0x0200;
    public const ushort RecursionDesiredFlag = 0x0100;

    public ushort Id { get; init; }

    public ushort Flags { get; init; }

    public IReadOnlyList<DnsQuestion> Questions { get; init; } = [];

    public IReadOnlyList<DnsRecord> Answers { get; init; } = [];

    public IReadOnlyList<DnsRecord> Authorities { get; init; } = [];

    public IReadOnlyList<DnsRecord> Additionals { get; init; } = [];

    /// <summary>Where the last additional record starts when it is a TSIG record (needed to verify it), else -1.</summary>
    public int TsigOffset { get; init; } = -1;

    public DnsOpcode Opcode => (DnsOpcode)((Flags >> 11) & 0xF);

    public DnsResponseCode ResponseCode => (DnsResponseCode)(Flags & 0xF);

    public bool IsResponse => (Flags & ResponseFlag) != 0;

    public bool IsTruncated => (Flags & TruncatedFlag) != 0;

    public static ushort FlagsFor(DnsOpcode opcode) => (ushort)((int)opcode << 11);

    /// <summary>RFC 1035 4.1.1 header, then the four sections.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        var writer = new DnsWireWriter(destination);
        var ok = writer.TryWriteUInt16(Id)
            && writer.TryWriteUInt16(Flags)
            && writer.TryWriteUInt16((ushort)Questions.Count)
            && writer.TryWriteUInt16((ushort)Answers.Count)
            && writer.TryWriteUInt16((ushort)Authorities.Count)
            && writer.TryWriteUInt16((ushort)Additionals.Count);
        foreach (var question in Questions)
        {
            ok = ok && writer.TryWriteQuestion(question);
        }

        foreach (var record in Answers.Concat(Authorities).Concat(Additionals))
        {
            ok = ok && writer.TryWriteRecord(record);
        }

        written = ok ? writer.Written : 0;
        return ok;
    }

    public byte[] ToArray()
    {
        var buffer = new byte[ushort.MaxValue];
        return TryWrite(buffer, out var written)
            ? buffer[..written]
            : throw new ArgumentException("The message cannot be encoded: a name is invalid or it exceeds 65,535 bytes.");
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out DnsMessage message)
    {
        message = null!;
        var reader = new DnsWireReader(source);
        if (!reader.TryReadUInt16(out var id)
            || !reader.TryReadUInt16(out var flags)
            || !reader.TryReadUInt16(out var questionCount)
            || !reader.TryReadUInt16(out var answerCount)
            || !reader.TryReadUInt16(out var authorityCount)
            || !reader.TryReadUInt16(out var additionalCount))
        {
            return false;
        }

        var questions = new List<DnsQuestion>();
        for (var i = 0; i < questionCount; i++)
        {
            if (!reader.TryReadQuestion(out var question))
            {
                return false;
            }

            questions.Add(question);
        }

        if (!TryReadRecords(ref reader, answerCount, out var answers, out _)
            || !TryReadRecords(ref reader, authorityCount, out var authorities, out _)
            || !TryReadRecords(ref reader, additionalCount, out var additionals, out var lastOffset))
        {
            return false;
        }

        message = new DnsMessage
        {
            Id = id,
            Flags = flags,
            Questions = questions,
            Answers = answers,
            Authorities = authorities,
            Additionals = additionals,
            TsigOffset = additionals.Count > 0 && additionals[^1].Type == DnsType.Tsig ? lastOffset : -1,
        };
        return true;
    }

    private static bool TryReadRecords(ref DnsWireReader reader, int count, out List<DnsRecord> records, out int lastOffset)
    {
        // Each record takes at least 11 bytes: a count beyond what remains is a lie, not a reason to allocate.
        records = new List<DnsRecord>(Math.Min(count, reader.Remaining / 11));
        lastOffset = -1;
        for (var i = 0; i < count; i++)
        {
            lastOffset = reader.Position;
            if (!reader.TryReadRecord(out var record))
            {
                return false;
            }

            records.Add(record);
        }

        return true;
    }
}

/// <summary>Operation codes (RFC 1035 4.1.1, RFC 2136 1.3).</summary>
public enum DnsOpcode
{
    /// <summary>A standard query.</summary>
    Query = 0,

    /// <summary>A dynamic update (RFC 2136).</summary>
    Update = 5,
}
