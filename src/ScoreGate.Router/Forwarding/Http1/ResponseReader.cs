using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>What has come back of an answer so far.</summary>
internal class ResponseProgress
{
    /// <summary>Some byte of an answer came back: the request must not be sent again.</summary>
    public bool Received { get; set; }
}

/// <summary>Reads a model's answer from its connection: the head (1xx skipped), then the body by its framing.</summary>
internal static class ResponseReader
{
    /// <summary>1xx heads skipped before a final one; a model sending them without end is broken.</summary>
    private const int MaxInterimResponses = 8;

    /// <returns>What is wrong with the head, or whether the model closed before sending one; (null, false) when <paramref name="head"/> holds a final answer.</returns>
    public static async Task<(string? Problem, bool ClosedBeforeAnswer)> ReadHeadAsync(PipeReader input, bool requestWasHead, ResponseHead head, ResponseProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(progress);
        var interim = 0;
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            progress.Received |= !buffer.IsEmpty;
            switch (ResponseHeadParser.TryParse(buffer, requestWasHead, head, out var consumed, out var problem))
            {
                case ParseStatus.Complete:
                    input.AdvanceTo(consumed);
                    if (head.Status >= 200)
                    {
                        return (null, false);
                    }

                    // 1xx: 100 Continue, 103 Early Hints. 101 only answers an Upgrade, which the router never sends.
                    if (head.Status == 101 || ++interim > MaxInterimResponses)
                    {
                        return (head.Status == 101 ? "101 Switching Protocols, which the router never asks for" : "too many 1xx responses", false);
                    }

                    continue;
                case ParseStatus.Invalid:
                    input.AdvanceTo(buffer.End);
                    return (problem, false);
                default:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (read.IsCompleted)
                    {
                        return progress.Received ? ("the connection closed in the middle of the response head", false) : (null, true);
                    }

                    break;
            }
        }
    }

    /// <summary>Relays the body to <paramref name="client"/>'s response, streaming, or reads it to its end and drops it when there is no client (a mirrored copy).</summary>
    /// <returns>Null when the body was read in full; else what was wrong with it.</returns>
    public static async Task<string?> CopyBodyAsync(PipeReader input, ResponseHead head, HttpContext? client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(head);
        var output = client?.Response.BodyWriter;
        switch (head.Framing)
        {
            case ResponseFraming.ContentLength:
                if (client is not null)
                {
                    client.Response.ContentLength = head.ContentLength;
                }

                var left = head.ContentLength;
                while (left > 0)
                {
                    var read = await input.ReadAsync(cancellationToken);
                    var buffer = read.Buffer.Length > left ? read.Buffer.Slice(0, left) : read.Buffer;
                    Write(output, buffer);
                    left -= buffer.Length;
                    input.AdvanceTo(buffer.End);
                    if (left > 0 && read.IsCompleted)
                    {
                        return "the connection closed before the end of the body's Content-Length";
                    }

                    // A body that came whole in one read goes out with the response's end: one write,
                    // and on HTTP/2 one frame fewer. (Leaving only the last of several pieces unflushed left
                    // 1 MiB and 5 MiB answers unfinished in the contract tests, so every piece of those is flushed.)
                    if (left > 0 || buffer.Length < head.ContentLength)
                    {
                        await FlushAsync(output, client, cancellationToken);
                    }
                }

                return null;

            case ResponseFraming.Chunked:
                var decoder = new ChunkedDecoder();
                var flushed = false;
                while (!decoder.IsDone)
                {
                    var read = await input.ReadAsync(cancellationToken);
                    var buffer = read.Buffer;
                    var status = ParseStatus.Complete;
                    while (!decoder.IsDone && status == ParseStatus.Complete)
                    {
                        status = decoder.TryRead(buffer, out var data, out var consumed, out var problem);
                        if (status == ParseStatus.Invalid)
                        {
                            input.AdvanceTo(buffer.Start, read.Buffer.End);
                            return problem;
                        }

                        Write(output, data);
                        buffer = buffer.Slice(consumed);
                    }

                    input.AdvanceTo(buffer.Start, status == ParseStatus.Incomplete ? read.Buffer.End : buffer.Start);
                    if (!decoder.IsDone && read.IsCompleted)
                    {
                        return "the connection closed before the last chunk";
                    }

                    // As above: only a body that came whole in one read is left to the response's end.
                    if (!decoder.IsDone || flushed)
                    {
                        await FlushAsync(output, client, cancellationToken);
                        flushed = true;
                    }
                }

                return null;

            case ResponseFraming.CloseDelimited:
                while (true)
                {
                    var read = await input.ReadAsync(cancellationToken);
                    Write(output, read.Buffer);
                    input.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted)
                    {
                        return null;
                    }

                    await FlushAsync(output, client, cancellationToken);
                }

            default:
                return null;
        }
    }

    private static void Write(PipeWriter? output, ReadOnlySequence<byte> data)
    {
        if (output is null)
        {
            return;
        }

        foreach (var segment in data)
        {
            output.Write(segment.Span);
        }
    }

    /// <summary>Waits until the client has taken what was written: back-pressure on the model's side.</summary>
    private static async ValueTask FlushAsync(PipeWriter? output, HttpContext? client, CancellationToken cancellationToken)
    {
        if (output is null || client is null)
        {
            return;
        }

        var flushed = await output.FlushAsync(cancellationToken);
        if (flushed.IsCompleted || flushed.IsCanceled || client.RequestAborted.IsCancellationRequested)
        {
            throw new OperationCanceledException("The client went away.", client.RequestAborted);
        }
    }

    /// <summary>A clean end leaves nothing unread: bytes past the response (or a close) mean the connection cannot carry another.</summary>
    public static bool NothingLeftToRead(PipeReader input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.TryRead(out var rest))
        {
            return true;
        }

        input.AdvanceTo(rest.Buffer.Start);
        return rest.Buffer.IsEmpty && !rest.IsCompleted;
    }
}
