using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>
/// Sends a request to a model: the head, then the body streamed as it is read from the client,
/// with back-pressure (each piece is flushed before the next is read). The head and the body's
/// first piece leave in one write, so a small scoring request costs one system call.
/// </summary>
internal static class RequestSender
{
    /// <summary>The most read from the client per piece: large bodies go in few writes (a 1 MiB body in 16).</summary>
    private const int PieceBytes = 64 * 1024;

    /// <param name="body">The client's body; null when the request has none.</param>
    public static async Task SendAsync(PipeWriter output, HttpContext context, Uri target, Stream? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        var length = body is null ? null : context.Request.ContentLength;
        var chunked = body is not null && length is null;
        RequestHeadWriter.Write(output, context, target, length, chunked);
        if (body is null || length == 0)
        {
            await output.FlushAsync(cancellationToken);
        }
        else if (chunked)
        {
            await SendChunkedAsync(output, body, cancellationToken);
        }
        else
        {
            await SendLengthAsync(output, body, length!.Value, cancellationToken);
        }
    }

    private static async Task SendLengthAsync(PipeWriter output, Stream body, long length, CancellationToken cancellationToken)
    {
        var left = length;
        while (left > 0)
        {
            var memory = output.GetMemory(PieceBytes);
            if (memory.Length > left)
            {
                memory = memory[..(int)left];
            }

            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                // Kestrel enforces Content-Length on the client's side; this is the belt to its braces.
                throw new IOException("The client's request body ended before its Content-Length.");
            }

            output.Advance(read);
            left -= read;
            await output.FlushAsync(cancellationToken);
        }
    }

    /// <summary>Each piece read becomes one chunk; its size line is written once its length is known.</summary>
    private static async Task SendChunkedAsync(PipeWriter output, Stream body, CancellationToken cancellationToken)
    {
        var piece = ArrayPool<byte>.Shared.Rent(PieceBytes);
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(piece.AsMemory(0, PieceBytes), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                var size = output.GetSpan(18);
                Utf8Formatter.TryFormat(read, size, out var written, new StandardFormat('X'));
                output.Advance(written);
                output.Write("\r\n"u8);
                output.Write(piece.AsSpan(0, read));
                output.Write("\r\n"u8);
                await output.FlushAsync(cancellationToken);
            }

            output.Write("0\r\n\r\n"u8);
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(piece);
        }
    }
}
