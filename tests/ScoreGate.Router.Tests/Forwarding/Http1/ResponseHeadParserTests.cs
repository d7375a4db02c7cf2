using System.Buffers;
using System.Text;
using ScoreGate.Router.Forwarding.Http1;

namespace ScoreGate.Router.Tests.Forwarding.Http1;

public class ResponseHeadParserTests
{
    private static (ParseStatus Status, ResponseHead Head, long Consumed, string? Error) Parse(string text, bool requestWasHead = false, params int[] cuts)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        var buffer = Segments.Of(bytes, cuts);
        var head = new ResponseHead();
        var status = ResponseHeadParser.TryParse(buffer, requestWasHead, head, out var consumed, out var error);
        return (status, head, buffer.Slice(0, consumed).Length, error);
    }

    [Fact]
    public void ContentLengthResponse_ParsesStatusHeadersAndWhereTheBodyStarts()
    {
        const string Head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nX-Custom:  padded value \t\r\n\r\n";
        var (status, head, consumed, _) = Parse(Head + "{\"ok\":true}");

        Assert.Equal(ParseStatus.Complete, status);
        Assert.Equal(200, head.Status);
        Assert.Equal("OK", head.Reason);
        Assert.Equal(ResponseFraming.ContentLength, head.Framing);
        Assert.Equal(11, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.Equal(Head.Length, consumed);
        Assert.Contains(head.Headers, h => h.Key == "X-Custom" && h.Value == "padded value");
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", nameof(ResponseFraming.Chunked), true)]
    [InlineData("HTTP/1.1 200 OK\r\ntransfer-encoding: CHUNKED\r\n\r\n", nameof(ResponseFraming.Chunked), true)]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", nameof(ResponseFraming.CloseDelimited), false)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", nameof(ResponseFraming.None), true)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 40\r\n\r\n", nameof(ResponseFraming.None), true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n", nameof(ResponseFraming.ContentLength), false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n", nameof(ResponseFraming.ContentLength), false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 5\r\nConnection: Keep-Alive\r\n\r\n", nameof(ResponseFraming.ContentLength), true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\n", nameof(ResponseFraming.ContentLength), true)]
    [InlineData("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", nameof(ResponseFraming.ContentLength), true)]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 2\n\n", nameof(ResponseFraming.ContentLength), true)]
    public void Framing_FollowsRfc9112(string text, string framing, bool keepAlive)
    {
        var (status, head, _, error) = Parse(text);

        Assert.True(status == ParseStatus.Complete, error);
        Assert.Equal(Enum.Parse<ResponseFraming>(framing), head.Framing);
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Fact]
    public void AnswerToHead_HasNoBody_WhateverItsLengthSays()
    {
        var (_, head, _, _) = Parse("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", requestWasHead: true);

        Assert.Equal(ResponseFraming.None, head.Framing);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", "both Transfer-Encoding and Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", "both Transfer-Encoding and Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n", "Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", "Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", "Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", "Content-Length")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "Transfer-Encoding")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n", "Transfer-Encoding")]
    [InlineData("HTTP/1.1 2OO OK\r\n\r\n", "status line")]
    [InlineData("HTTP/9.9 200 OK\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1 600 High\r\n\r\n", "599")]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1 200OK\r\n\r\n", "status line")]
    [InlineData("ICY 200 OK\r\n\r\n", "status line")]
    [InlineData("<html>oops</html>\r\n\r\n", "status line")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: b\r\n folded\r\n\r\n", "folded")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A : b\r\n\r\n", "not a token")]
    [InlineData("HTTP/1.1 200 OK\r\n: b\r\n\r\n", "without a name")]
    [InlineData("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", "not a token")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: b\0c\r\n\r\n", "NUL")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: b\rc\r\n\r\n", "bare CR")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: b\u0001c\r\n\r\n", "control character")]
    [InlineData("HTTP/1.1 200 O\u0007K\r\n\r\n", "control character")]
    public void Ambiguous_Or_Malformed_IsInvalid_WithTheReason(string text, string reason)
    {
        var (status, _, _, error) = Parse(text);

        Assert.Equal(ParseStatus.Invalid, status);
        Assert.Contains(reason, error!, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialHead_IsIncomplete_UntilTheEmptyLine()
    {
        const string Full = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n";
        for (var length = 0; length < Full.Length; length++)
        {
            Assert.Equal(ParseStatus.Incomplete, Parse(Full[..length]).Status);
        }

        Assert.Equal(ParseStatus.Complete, Parse(Full).Status);
    }

    [Fact]
    public void HeadOverTheLimit_IsInvalid_EvenBeforeItEnds()
    {
        var huge = "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', ResponseHeadParser.MaxHeadBytes);

        var (status, _, _, error) = Parse(huge);

        Assert.Equal(ParseStatus.Invalid, status);
        Assert.Contains("over", error!, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyFields_IsInvalid()
    {
        var text = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (var i = 0; i <= ResponseHeadParser.MaxFields; i++)
        {
            text.Append("X-").Append(i).Append(": v\r\n");
        }

        Assert.Equal(ParseStatus.Invalid, Parse(text.Append("\r\n").ToString()).Status);
    }

    [Fact]
    public void InterimHead_ParsesAlone_SoTheCallerSkipsIt()
    {
        const string Interim = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n";
        var (status, head, consumed, _) = Parse(Interim + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(ParseStatus.Complete, status);
        Assert.Equal(103, head.Status);
        Assert.Equal(Interim.Length, consumed);
    }

    [Fact]
    public void RepeatedFields_AreKeptInOrder_AndObsTextDecodesAsLatin1()
    {
        var (_, head, _, _) = Parse("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Name: caf\u00e9\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(["a=1", "b=2"], head.Headers.Where(h => h.Key == "Set-Cookie").Select(h => h.Value));
        Assert.Equal("caf\u00e9", head.Headers.Single(h => h.Key == "X-Name").Value);
    }

    [Fact]
    public void EveryCut_GivesTheSameHead()
    {
        const string Text = "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\nrest";
        var whole = Parse(Text);
        for (var cut = 1; cut < Text.Length; cut++)
        {
            var split = Parse(Text, false, cut, cut + 3);
            Assert.Equal(whole.Status, split.Status);
            Assert.Equal(whole.Consumed, split.Consumed);
            Assert.Equal(whole.Head.Headers, split.Head.Headers);
        }
    }
}
