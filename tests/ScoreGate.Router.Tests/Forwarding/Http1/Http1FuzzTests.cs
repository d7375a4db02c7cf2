using System.Globalization;
using System.Text;
using ScoreGate.Router.Forwarding.Http1;

namespace ScoreGate.Router.Tests.Forwarding.Http1;

/// <summary>
/// Generated inputs for the response parsers: well-formed responses, then mutated ones (bytes
/// flipped, inserted, dropped, repeated; CR, LF, NUL, colons, digits and hex where framing
/// lives). For every input, whatever its bytes:
/// <list type="bullet">
/// <item>no exception, and no hang (each call must consume or say it needs more);</item>
/// <item>the same answer however the bytes are cut into segments and however they trickle in;</item>
/// <item>a well-formed chunked body decodes to exactly its data.</item>
/// </list>
/// CI runs <see cref="DefaultInputs"/> inputs; <c>SCOREGATE_FUZZ_INPUTS=1000000</c> runs a million
/// (README, Development), and <c>SCOREGATE_FUZZ_SEED</c> replays a failure's seed.
/// </summary>
public class Http1FuzzTests
{
    private const int DefaultInputs = 100_000;

    private static readonly string[] Heads =
    [
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n",
        "HTTP/1.0 500 Internal Server Error\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n",
        "HTTP/1.1 204 No Content\r\nSet-Cookie: a=b\r\nSet-Cookie: c=d\r\n\r\n",
        "HTTP/1.1 200\nContent-Length: 0\n\n",
    ];

    private static readonly byte[] Interesting = "\r\n\0: \t;,0123456789abcdefABCDEF-xX\u0080\u00ff"u8.ToArray();

    [Fact]
    public void ResponseParsers_WithstandGeneratedInputs()
    {
        var inputs = int.TryParse(Environment.GetEnvironmentVariable("SCOREGATE_FUZZ_INPUTS"), CultureInfo.InvariantCulture, out var n) ? n : DefaultInputs;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SCOREGATE_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        var random = new Random(seed);
        for (var i = 0; i < inputs; i++)
        {
            var (input, chunkedData) = Generate(random);
            var mutated = random.Next(4) != 0;
            if (mutated)
            {
                input = Mutate(random, input);
            }

            try
            {
                CheckHead(random, input);
                CheckChunked(random, input, mutated ? null : chunkedData);
            }
            catch (Exception error)
            {
                Assert.Fail($"Input {i} of seed {seed} (SCOREGATE_FUZZ_SEED={seed}): {Convert.ToHexString(input)}\n{error}");
            }
        }
    }

    private static void CheckHead(Random random, byte[] input)
    {
        var whole = ParseHead(input, []);
        var cuts = Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(input.Length + 1)).ToArray();
        var split = ParseHead(input, cuts);
        Assert.Equal(whole, split);
    }

    private static string ParseHead(byte[] input, int[] cuts)
    {
        var buffer = Segments.Of(input, cuts);
        var head = new ResponseHead();
        var status = ResponseHeadParser.TryParse(buffer, requestWasHead: false, head, out var consumed, out var error);
        var consumedBytes = buffer.Slice(0, consumed).Length;
        Assert.InRange(consumedBytes, 0, input.Length);
        Assert.Equal(status == ParseStatus.Invalid, error is not null);
        return status != ParseStatus.Complete
            ? $"{status} {error}"
            : $"{status} {consumedBytes} {head.Status} {head.Framing} {head.ContentLength} {head.KeepAlive} {string.Join('|', head.Headers)}";
    }

    private static void CheckChunked(Random random, byte[] input, byte[]? expected)
    {
        var whole = ChunkedDecoderTests.Decode(input, Math.Max(1, input.Length));
        var trickled = ChunkedDecoderTests.Decode(input, random.Next(1, 64));
        Assert.Equal(whole.Status, trickled.Status);
        if (whole.Status != ParseStatus.Invalid)
        {
            Assert.Equal(whole.Data, trickled.Data);
            Assert.Equal(whole.Consumed, trickled.Consumed);
        }

        if (expected is not null)
        {
            Assert.Equal(ParseStatus.Complete, whole.Status);
            Assert.Equal(expected, whole.Data);
        }
    }

    /// <summary>Either a response head, or a well-formed chunked body (returned with its data).</summary>
    private static (byte[] Input, byte[]? ChunkedData) Generate(Random random)
    {
        if (random.Next(2) == 0)
        {
            var head = Heads[random.Next(Heads.Length)];
            return (Encoding.Latin1.GetBytes(head + "{\"ok\":true}"), null);
        }

        var data = new List<byte>();
        var body = new StringBuilder();
        for (var chunks = random.Next(0, 5); chunks > 0; chunks--)
        {
            var size = random.Next(1, 40);
            var piece = Enumerable.Range(0, size).Select(_ => (char)random.Next(32, 127)).ToArray();
            data.AddRange(piece.Select(c => (byte)c));
            body.Append(size.ToString(random.Next(2) == 0 ? "x" : "X", CultureInfo.InvariantCulture));
            if (random.Next(4) == 0)
            {
                body.Append(";ext=1");
            }

            body.Append("\r\n").Append(piece).Append("\r\n");
        }

        body.Append("0\r\n");
        if (random.Next(3) == 0)
        {
            body.Append("X-Trailer: v\r\n");
        }

        body.Append("\r\n");
        return (Encoding.Latin1.GetBytes(body.ToString()), [.. data]);
    }

    private static byte[] Mutate(Random random, byte[] input)
    {
        var bytes = input.ToList();
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(5))
            {
                case 0 when at < bytes.Count:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 1:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2 when at < bytes.Count:
                    bytes.RemoveAt(at);
                    break;
                case 3 when at < bytes.Count:
                    var length = Math.Min(random.Next(1, 16), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    if (at < bytes.Count)
                    {
                        bytes[at] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
