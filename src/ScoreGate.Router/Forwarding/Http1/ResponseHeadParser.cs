using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>
/// Parses one response head from a model (RFC 9112 §4–6), span-first and without trusting it:
/// anything a proxy could be tricked by is <see cref="ParseStatus.Invalid"/>, never guessed at.
/// <list type="bullet">
/// <item>the status line must be HTTP/1.0 or HTTP/1.1 with a three-digit status;</item>
/// <item>field names are tokens with no whitespace before the colon; obs-fold, NUL, bare CR and
/// other control characters are refused (a line may end in CRLF or, as RFC 9112 §2.2 allows, LF);</item>
/// <item>Transfer-Encoding must be exactly <c>chunked</c>, and never beside Content-Length
/// (RFC 9112 §6.3: the mark of response splitting); Content-Length values must all agree;</item>
/// <item>the whole head is at most <see cref="MaxHeadBytes"/>.</item>
/// </list>
/// </summary>
internal static class ResponseHeadParser
{
    /// <summary>Larger than any real model's head (nginx's proxy buffer defaults to 4–8 KiB).</summary>
    public const int MaxHeadBytes = 64 * 1024;

    /// <summary>Field count limit, so a head of thousands of tiny fields costs no more than a big one.</summary>
    public const int MaxFields = 200;

    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Control characters other than HTAB, and DEL: never part of a field value or reason phrase.</summary>
    private static readonly SearchValues<byte> Controls = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    /// <summary>Names the router reads or sees often, returned as shared strings instead of a new one per response.</summary>
    private static readonly string[] KnownNames =
    [
        HeaderNames.ContentType, HeaderNames.ContentLength, HeaderNames.TransferEncoding, HeaderNames.Connection,
        HeaderNames.Date, HeaderNames.Server, HeaderNames.KeepAlive, HeaderNames.CacheControl, HeaderNames.ContentEncoding,
        HeaderNames.Vary, HeaderNames.ETag, HeaderNames.LastModified, "x-request-id", "x-ms-request-id", "x-ms-client-request-id",
    ];

    /// <summary>
    /// Parses the head at the start of <paramref name="buffer"/> into <paramref name="head"/>.
    /// A 1xx head parses like any other: the caller skips it and parses the next.
    /// </summary>
    /// <param name="requestWasHead">A response to HEAD has no body, whatever its fields say.</param>
    /// <param name="consumed">After <see cref="ParseStatus.Complete"/>: where the body starts.</param>
    /// <param name="error">After <see cref="ParseStatus.Invalid"/>: what is wrong, for the log.</param>
    public static ParseStatus TryParse(ReadOnlySequence<byte> buffer, bool requestWasHead, ResponseHead head, out SequencePosition consumed, out string? error)
    {
        ArgumentNullException.ThrowIfNull(head);
        head.Reset();
        consumed = buffer.Start;
        error = null;
        var reader = new SequenceReader<byte>(buffer);
        var status = TryReadLine(ref reader, out var statusLine, out error);
        if (status != ParseStatus.Complete)
        {
            return status;
        }

        if (!TryParseStatusLine(statusLine, head, out error))
        {
            return ParseStatus.Invalid;
        }

        var fields = new FieldState();
        while (true)
        {
            status = TryReadLine(ref reader, out var line, out error);
            if (status != ParseStatus.Complete)
            {
                return status;
            }

            if (line.IsEmpty)
            {
                break;
            }

            if (head.Headers.Count == MaxFields)
            {
                error = $"more than {MaxFields} header fields";
                return ParseStatus.Invalid;
            }

            if (!TryParseField(line, head, ref fields, out error))
            {
                return ParseStatus.Invalid;
            }
        }

        if (!TrySetFraming(head, requestWasHead, fields, out error))
        {
            return ParseStatus.Invalid;
        }

        consumed = reader.Position;
        return ParseStatus.Complete;
    }

    private static ParseStatus TryReadLine(ref SequenceReader<byte> reader, out ReadOnlySpan<byte> line, out string? error)
    {
        error = null;
        if (!reader.TryReadTo(out line, (byte)'\n'))
        {
            if (reader.Length > MaxHeadBytes)
            {
                error = $"response head over {MaxHeadBytes} bytes";
                return ParseStatus.Invalid;
            }

            return ParseStatus.Incomplete;
        }

        if (reader.Consumed > MaxHeadBytes)
        {
            error = $"response head over {MaxHeadBytes} bytes";
            return ParseStatus.Invalid;
        }

        if (!line.IsEmpty && line[^1] == '\r')
        {
            line = line[..^1];
        }

        if (line.IndexOfAny((byte)'\r', (byte)0) >= 0)
        {
            error = "a bare CR or a NUL in the response head";
            return ParseStatus.Invalid;
        }

        return ParseStatus.Complete;
    }

    private static bool TryParseStatusLine(ReadOnlySpan<byte> line, ResponseHead head, out string? error)
    {
        // HTTP-version SP 3DIGIT [ SP reason-phrase ]: "HTTP/1.1 200" without a reason is common.
        error = null;
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[7] is not ((byte)'0' or (byte)'1') || line[8] != ' '
            || !IsDigit(line[9]) || !IsDigit(line[10]) || !IsDigit(line[11]) || line[9] == '0'
            || (line.Length > 12 && line[12] != ' '))
        {
            error = "not an HTTP/1.0 or HTTP/1.1 status line";
            return false;
        }

        head.IsHttp10 = line[7] == '0';
        head.Status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (head.Status > 599)
        {
            error = "a status code over 599";
            return false;
        }

        if (line.Length > 13)
        {
            var reason = line[13..];
            if (reason.ContainsAny(Controls))
            {
                error = "a control character in the reason phrase";
                return false;
            }

            head.Reason = Encoding.Latin1.GetString(reason);
        }

        return true;
    }

    private static bool TryParseField(ReadOnlySpan<byte> line, ResponseHead head, ref FieldState fields, out string? error)
    {
        error = null;
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].ContainsAnyExcept(TokenChars))
        {
            // Also a line starting with whitespace: obs-fold, which a proxy must refuse or rewrite (RFC 9112 §5.2).
            error = colon == 0 ? "a header field without a name" : "a header field name that is not a token, or a folded line";
            return false;
        }

        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (value.ContainsAny(Controls))
        {
            error = "a control character in a header field value";
            return false;
        }

        var name = NameOf(line[..colon]);
        if (ReferenceEquals(name, HeaderNames.ContentLength))
        {
            if (!TryAddContentLength(value, ref fields))
            {
                error = "an invalid or conflicting Content-Length";
                return false;
            }
        }
        else if (ReferenceEquals(name, HeaderNames.TransferEncoding))
        {
            fields.TransferEncodings++;
            fields.TransferEncodingIsChunked = value.Length == 7 && Ascii.EqualsIgnoreCase(value, "chunked"u8);
        }
        else if (ReferenceEquals(name, HeaderNames.Connection))
        {
            foreach (var range in value.Split((byte)','))
            {
                var option = value[range].Trim(" \t"u8);
                fields.Close |= Ascii.EqualsIgnoreCase(option, "close"u8);
                fields.KeepAlive |= Ascii.EqualsIgnoreCase(option, "keep-alive"u8);
            }
        }

        head.Headers.Add(new(name, Encoding.Latin1.GetString(value)));
        return true;
    }

    /// <summary>Content-Length may repeat, or be a list, as long as every value is the same number (RFC 9110 §8.6).</summary>
    private static bool TryAddContentLength(ReadOnlySpan<byte> value, ref FieldState fields)
    {
        foreach (var range in value.Split((byte)','))
        {
            var item = value[range].Trim(" \t"u8);
            if (item.IsEmpty || item.Length > 18 || item.ContainsAnyExceptInRange((byte)'0', (byte)'9')
                || !Utf8Parser.TryParse(item, out long length, out _)
                || (fields.ContentLength is { } earlier && earlier != length))
            {
                return false;
            }

            fields.ContentLength = length;
        }

        return true;
    }

    private static bool TrySetFraming(ResponseHead head, bool requestWasHead, FieldState fields, out string? error)
    {
        error = null;
        var status = head.Status;
        if (fields.TransferEncodings > 0 && fields.ContentLength is not null)
        {
            error = "both Transfer-Encoding and Content-Length";
            return false;
        }

        if (requestWasHead || status is < 200 or 204 or 304)
        {
            head.Framing = ResponseFraming.None;
        }
        else if (fields.TransferEncodings > 0)
        {
            // Any other coding (gzip, or chunked twice) could not be passed on: the router relays bodies decoded.
            if (fields.TransferEncodings > 1 || !fields.TransferEncodingIsChunked)
            {
                error = "a Transfer-Encoding other than 'chunked'";
                return false;
            }

            head.Framing = ResponseFraming.Chunked;
        }
        else if (fields.ContentLength is { } length)
        {
            head.Framing = ResponseFraming.ContentLength;
            head.ContentLength = length;
        }
        else
        {
            head.Framing = ResponseFraming.CloseDelimited;
        }

        head.KeepAlive = !fields.Close && (!head.IsHttp10 || fields.KeepAlive) && head.Framing != ResponseFraming.CloseDelimited;
        return true;
    }

    private static string NameOf(ReadOnlySpan<byte> name)
    {
        foreach (var known in KnownNames)
        {
            if (known.Length == name.Length && Ascii.EqualsIgnoreCase(name, known))
            {
                return known;
            }
        }

        return Encoding.ASCII.GetString(name);
    }

    private static bool IsDigit(byte value) => value is >= (byte)'0' and <= (byte)'9';

    /// <summary>What the framing fields said, gathered while the fields are read.</summary>
    private struct FieldState
    {
        public long? ContentLength;
        public int TransferEncodings;
        public bool TransferEncodingIsChunked;
        public bool Close;
        public bool KeepAlive;
    }
}
