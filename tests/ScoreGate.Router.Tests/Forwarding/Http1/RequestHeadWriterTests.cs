using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using ScoreGate.Router.Forwarding.Http1;

namespace ScoreGate.Router.Tests.Forwarding.Http1;

public class RequestHeadWriterTests
{
    private static string Write(Action<HttpRequest> setUp, long? contentLength = null, bool chunked = false)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("scoring.example:8443");
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        setUp(context.Request);
        var output = new ArrayBufferWriter<byte>();
        RequestHeadWriter.Write(output, context, new Uri("http://127.0.0.1:5001/score?x=1"), contentLength, chunked);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Head_HasTheModelsPathAndHost_TheForwardedFields_AndTheBodysLength()
    {
        var head = Write(r => r.Headers.ContentType = "application/json", contentLength: 12);

        Assert.Equal(
            "POST /score?x=1 HTTP/1.1\r\nHost: 127.0.0.1:5001\r\nContent-Type: application/json\r\n" +
            "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: scoring.example:8443\r\nContent-Length: 12\r\n\r\n",
            head);
    }

    [Fact]
    public void HopByHop_NamedInConnection_AuthorizationAndSpoofedForwarding_AreNotWritten()
    {
        var head = Write(r =>
        {
            r.Headers.Connection = "close, x-drop-me";
            r.Headers["x-drop-me"] = "v";
            r.Headers["x-keep-me"] = "v";
            r.Headers.Authorization = "Bearer secret";
            r.Headers["X-Forwarded-For"] = "198.51.100.1";
            r.Headers.Expect = "100-continue";
            r.Headers.TransferEncoding = "chunked";
            r.Headers["X-Bad\u0001Name"] = "v";
            r.Headers["X-Bad-Value"] = "a\r\nInjected: yes";
        }, chunked: true);

        Assert.DoesNotContain("x-drop-me", head, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Bearer", head, StringComparison.Ordinal);
        Assert.DoesNotContain("198.51.100.1", head, StringComparison.Ordinal);
        Assert.DoesNotContain("100-continue", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Bad", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Injected", head, StringComparison.Ordinal);
        Assert.Contains("x-keep-me: v\r\n", head, StringComparison.Ordinal);
        Assert.Equal(2, head.Split("Transfer-Encoding").Length);
        Assert.EndsWith("Transfer-Encoding: chunked\r\n\r\n", head, StringComparison.Ordinal);
    }

    [Fact]
    public void PostWithoutBody_SaysContentLengthZero_AndCookiesJoinWithSemicolons()
    {
        var head = Write(r => r.Headers.Cookie = new(["a=1", "b=2"]));

        Assert.Contains("Cookie: a=1; b=2\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 0\r\n", head, StringComparison.Ordinal);
    }
}
