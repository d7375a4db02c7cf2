using System.Buffers;

namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>
/// Decodes a chunked body (RFC 9112 §7.1) as it arrives, handing out the data and dropping the
/// framing, extensions and trailers. Strict where leniency is how smuggling works: chunk lines
/// end in CRLF, sizes are hex of at most 15 digits, every chunk's data is followed by CRLF, and
/// lines and trailers are bounded.
/// </summary>
internal struct ChunkedDecoder
{
    /// <summary>A chunk-size line with its extensions; real ones are a few bytes.</summary>
    public const int MaxLineBytes = 4 * 1024;

    /// <summary>The trailer section, which the router reads and drops.</summary>
    public const int MaxTrailerBytes = 64 * 1024;

    private State _state;
    private long _remaining;
    private int _trailerBytes;

    private enum State
    {
        Size,
        Data,
        DataEnd,
        Trailer,
        Done,
    }

    /// <summary>The last chunk and the trailer section have been read.</summary>
    public readonly bool IsDone => _state == State.Done;

    /// <summary>
    /// Reads from the start of <paramref name="buffer"/> up to the next piece of data, or to the end of the body.
    /// </summary>
    /// <returns>
    /// <see cref="ParseStatus.Complete"/> with data to relay, or with <see cref="IsDone"/>;
    /// <see cref="ParseStatus.Incomplete"/> when more bytes are needed (what was read so far is consumed);
    /// <see cref="ParseStatus.Invalid"/> with <paramref name="error"/> saying why.
    /// </returns>
    public ParseStatus TryRead(ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> data, out SequencePosition consumed, out string? error)
    {
        data = ReadOnlySequence<byte>.Empty;
        error = null;
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            while (true)
            {
                switch (_state)
                {
                    case State.Size:
                        if (!TryReadLine(ref reader, MaxLineBytes, out var line, ref error))
                        {
                            return error is null ? ParseStatus.Incomplete : ParseStatus.Invalid;
                        }

                        if (!TryParseSize(line, out _remaining))
                        {
                            error = "a malformed chunk-size line";
                            return ParseStatus.Invalid;
                        }

                        _state = _remaining == 0 ? State.Trailer : State.Data;
                        break;

                    case State.Data:
                        if (reader.End)
                        {
                            return ParseStatus.Incomplete;
                        }

                        var count = Math.Min(_remaining, reader.Remaining);
                        data = reader.UnreadSequence.Slice(0, count);
                        reader.Advance(count);
                        _remaining -= count;
                        if (_remaining == 0)
                        {
                            _state = State.DataEnd;
                        }

                        return ParseStatus.Complete;

                    case State.DataEnd:
                        if (reader.Remaining < 2)
                        {
                            // One byte may be the CR: wait for its LF.
                            return reader.Remaining == 1 && !reader.IsNext((byte)'\r') ? Fail(out error) : ParseStatus.Incomplete;
                        }

                        if (!reader.IsNext("\r\n"u8, advancePast: true))
                        {
                            return Fail(out error);
                        }

                        _state = State.Size;
                        break;

                    case State.Trailer:
                        var start = reader.Consumed;
                        if (!TryReadLine(ref reader, MaxTrailerBytes - _trailerBytes, out var field, ref error))
                        {
                            return error is null ? ParseStatus.Incomplete : ParseStatus.Invalid;
                        }

                        _trailerBytes += (int)(reader.Consumed - start);
                        if (field.IsEmpty)
                        {
                            _state = State.Done;
                            return ParseStatus.Complete;
                        }

                        break;

                    default:
                        return ParseStatus.Complete;
                }
            }
        }
        finally
        {
            consumed = reader.Position;
        }
    }

    private static ParseStatus Fail(out string error)
    {
        error = "chunk data not followed by CRLF";
        return ParseStatus.Invalid;
    }

    /// <summary>A CRLF-terminated line within <paramref name="limit"/> bytes; a bare LF, CR or NUL is an error.</summary>
    private static bool TryReadLine(ref SequenceReader<byte> reader, int limit, out ReadOnlySpan<byte> line, ref string? error)
    {
        if (!reader.TryReadTo(out line, (byte)'\n'))
        {
            if (reader.Remaining > limit)
            {
                error = "a chunk line or trailer section over its limit";
            }

            return false;
        }

        if (line.Length + 1 > limit)
        {
            error = "a chunk line or trailer section over its limit";
            return false;
        }

        if (line.IsEmpty || line[^1] != '\r' || line[..^1].IndexOfAny((byte)'\r', (byte)0) >= 0)
        {
            error = "a chunk line not ended by CRLF, or holding a NUL";
            return false;
        }

        line = line[..^1];
        return true;
    }

    /// <summary>chunk-size [ BWS ";" chunk-ext ]: at most 15 hex digits, so the size fits a long.</summary>
    private static bool TryParseSize(ReadOnlySpan<byte> line, out long size)
    {
        size = 0;
        var digits = 0;
        while (digits < line.Length && IsHex(line[digits]))
        {
            digits++;
        }

        if (digits is 0 or > 15)
        {
            return false;
        }

        foreach (var digit in line[..digits])
        {
            size = (size << 4) | (long)HexValue(digit);
        }

        var rest = line[digits..].TrimStart(" \t"u8);
        return rest.IsEmpty || (rest[0] == ';' && !rest.ContainsAnyInRange((byte)0, (byte)8) && !rest.ContainsAnyInRange((byte)10, (byte)31) && !rest.Contains((byte)127));
    }

    private static bool IsHex(byte value) => char.IsAsciiHexDigit((char)value);

    private static int HexValue(byte value) => value <= '9' ? value - '0' : (value | 0x20) - 'a' + 10;
}
