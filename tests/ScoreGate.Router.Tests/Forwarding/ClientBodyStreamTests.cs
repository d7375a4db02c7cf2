using Microsoft.AspNetCore.Http;
using ScoreGate.Router.Forwarding;

namespace ScoreGate.Router.Tests.Forwarding;

public class ClientBodyStreamTests
{
    [Fact]
    public async Task Prebuffer_ThenRead_ReplaysTheStartAndStreamsTheRest()
    {
        var bytes = Enumerable.Range(0, ClientBodyStream.PrebufferBytes + 1000).Select(i => (byte)i).ToArray();
        await using var body = new ClientBodyStream(new MemoryStream(bytes));

        Assert.True(await body.PrebufferAsync(expectedLength: null, CancellationToken.None));
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy);

        Assert.Equal(bytes, copy.ToArray());
        Assert.Null(body.Failure);
    }

    [Fact]
    public async Task Prebuffer_ShortBody_ReadsItWhole()
    {
        await using var body = new ClientBodyStream(new MemoryStream("{\"data\": 1}"u8.ToArray()));

        Assert.True(await body.PrebufferAsync(expectedLength: 11, CancellationToken.None));
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy);

        Assert.Equal("{\"data\": 1}"u8.ToArray(), copy.ToArray());
    }

    [Fact]
    public async Task Prebuffer_ClientSideFails_ReturnsFalseAndRecordsIt()
    {
        var failure = new BadHttpRequestException("Bad chunk suffix", StatusCodes.Status400BadRequest);
        await using var body = new ClientBodyStream(new FailingStream(failure, afterBytes: 5));

        Assert.False(await body.PrebufferAsync(expectedLength: null, CancellationToken.None));
        Assert.Same(failure, body.Failure);
    }

    [Fact]
    public async Task Read_AfterPrebuffer_ClientSideFails_RecordsItAndRethrows()
    {
        var failure = new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        await using var body = new ClientBodyStream(new FailingStream(failure, afterBytes: ClientBodyStream.PrebufferBytes + 10));
        Assert.True(await body.PrebufferAsync(expectedLength: null, CancellationToken.None));

        var thrown = await Assert.ThrowsAsync<BadHttpRequestException>(() => body.CopyToAsync(Stream.Null));

        Assert.Same(failure, thrown);
        Assert.Same(failure, body.Failure);
    }

    /// <summary>Gives <c>afterBytes</c> bytes, then throws as Kestrel does for a bad body.</summary>
    private sealed class FailingStream(Exception failure, int afterBytes) : MemoryStream(new byte[afterBytes])
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw failure;
    }
}
