using System.IO.Pipelines;
using System.Text;
using ScoreGate.Router.Forwarding.Http1;

namespace ScoreGate.Router.Tests.Forwarding.Http1;

public class ResponseReaderTests
{
    private static async Task<(string? Problem, bool ClosedBeforeAnswer, ResponseHead Head)> ReadAsync(string answer)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(answer));
        await pipe.Writer.CompleteAsync();
        var head = new ResponseHead();
        var (problem, closed) = await ResponseReader.ReadHeadAsync(pipe.Reader, requestWasHead: false, head, new ResponseProgress(), CancellationToken.None);
        return (problem, closed, head);
    }

    [Fact]
    public async Task InterimHeads_AreSkipped_UpToTheFinalOne()
    {
        var (problem, _, head) = await ReadAsync("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");

        Assert.Null(problem);
        Assert.Equal(201, head.Status);
    }

    [Fact]
    public async Task SwitchingProtocols_IsRefused_TheRouterNeverAsksForIt()
    {
        var (problem, _, _) = await ReadAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");

        Assert.Contains("101", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndlessInterimHeads_AreRefused()
    {
        var (problem, _, _) = await ReadAsync(string.Concat(Enumerable.Repeat("HTTP/1.1 103 Early Hints\r\n\r\n", 20)) + "HTTP/1.1 200 OK\r\n\r\n");

        Assert.Equal("too many 1xx responses", problem);
    }

    [Fact]
    public async Task NothingBeforeTheClose_IsClosedBeforeAnswer_AndAPartialHeadIsAProblem()
    {
        Assert.True((await ReadAsync(string.Empty)).ClosedBeforeAnswer);
        Assert.Contains("middle of the response head", (await ReadAsync("HTTP/1.1 200 OK\r\nContent-")).Problem, StringComparison.Ordinal);
    }
}
