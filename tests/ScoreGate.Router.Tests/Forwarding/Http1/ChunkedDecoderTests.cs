using System.Buffers;
using System.Text;
using ScoreGate.Router.Forwarding.Http1;

namespace ScoreGate.Router.Tests.Forwarding.Http1;

public class ChunkedDecoderTests
{
    /// <summary>Feeds the bytes as a socket would, <paramref name="step"/> at a time, keeping what the decoder has not consumed.</summary>
    internal static (ParseStatus Status, byte[] Data, int Consumed, string? Error) Decode(byte[] bytes, int step)
    {
        var decoder = new ChunkedDecoder();
        var data = new List<byte>();
        var start = 0;
        var available = 0;
        while (true)
        {
            available = Math.Min(bytes.Length, available + step);
            var buffer = Segments.Of(bytes[start..available], step / 2);
            var status = ParseStatus.Complete;
            while (!decoder.IsDone && status == ParseStatus.Complete)
            {
                status = decoder.TryRead(buffer, out var piece, out var consumed, out var error);
                if (status == ParseStatus.Invalid)
                {
                    return (status, [.. data], start, error);
                }

                data.AddRange(piece.ToArray());
                start += (int)buffer.Slice(0, consumed).Length;
                buffer = buffer.Slice(consumed);
            }

            if (decoder.IsDone)
            {
                return (ParseStatus.Complete, [.. data], start, null);
            }

            if (available == bytes.Length)
            {
                return (ParseStatus.Incomplete, [.. data], start, null);
            }
        }
    }

    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Chunks_ExtensionsAndTrailers_DecodeToTheData_HoweverTheBytesArrive(int step)
    {
        var body = Bytes("5\r\nhello\r\nA;name=value\r\n, world!!!\r\n1 ; ext\r\n.\r\n0\r\nX-Trailer: t\r\n\r\nNEXT");

        var (status, data, consumed, _) = Decode(body, step);

        Assert.Equal(ParseStatus.Complete, status);
        Assert.Equal("hello, world!!!.", Encoding.ASCII.GetString(data));
        Assert.Equal(body.Length - 4, consumed);
    }

    [Theory]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhelloXX0\r\n\r\n")]
    [InlineData("5\r\nhello\n0\r\n\r\n")]
    [InlineData("-5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("0x5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("1000000000000000\r\n")]
    [InlineData("\r\n")]
    [InlineData("5 x\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a\0b\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhello\r\n0\r\nX: a\nb\r\n\r\n")]
    public void MalformedFraming_IsInvalid(string text)
    {
        var (status, _, _, error) = Decode(Bytes(text), 4096);

        Assert.Equal(ParseStatus.Invalid, status);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TruncatedBody_IsIncomplete_NeverDone()
    {
        var body = Bytes("5\r\nhello\r\n3\r\nab");

        Assert.Equal(ParseStatus.Incomplete, Decode(body, 4096).Status);
    }

    [Fact]
    public void EndlessChunkLine_IsInvalid_AtItsLimit()
    {
        var line = Bytes("5;" + new string('e', ChunkedDecoder.MaxLineBytes + 10));

        Assert.Equal(ParseStatus.Invalid, Decode(line, 1024).Status);
    }

    [Fact]
    public void EndlessTrailers_AreInvalid_AtTheirLimit()
    {
        var text = new StringBuilder("0\r\n");
        while (text.Length < ChunkedDecoder.MaxTrailerBytes + 100)
        {
            text.Append("X-T: value\r\n");
        }

        Assert.Equal(ParseStatus.Invalid, Decode(Bytes(text.ToString()), 4096).Status);
    }

    [Fact]
    public void LargeChunk_ComesOutInPieces_AsItArrives()
    {
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        var body = Bytes($"{data.Length:x}\r\n").Concat(data).Concat(Bytes("\r\n0\r\n\r\n")).ToArray();

        var (status, decoded, _, _) = Decode(body, 3000);

        Assert.Equal(ParseStatus.Complete, status);
        Assert.Equal(data, decoded);
    }
}
