using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>
/// The router's own HTTP/1.1 client to models: one request, one pooled keep-alive connection,
/// bodies streamed both ways through pipes, with no message objects in between. Expected
/// failures are results, not exceptions (STYLE.md §7):
/// <code>
///   1. take a connection (an idle one checked for a close by the model, or a new one)
///   2. send the head and stream the body, while reading the answer at the same time (a model
///      may answer before it has read the whole body)
///   3. parse the response head strictly; 1xx heads are skipped; anything malformed or
///      ambiguous is 502 and nothing of it is relayed
///   4. relay status and headers, then the body by its framing; a failure now can only abort
///      the client's connection
///   5. keep the connection only if the exchange ended cleanly with nothing left over
/// </code>
/// A reused connection that is reset (or cannot be written) before any byte of an answer is
/// retried on another, as long as the body can be sent again (it is all in the held-back prefix):
/// the model had closed it while idle, so it never took the request. A clean close after the
/// request went out is 502: the model may have run it.
/// </summary>
public sealed class Http1Forwarder(ModelConnectionPool connections, ModelAnswer answer)
{
    /// <summary>Every idle connection to a model that restarted may be dead; a few retries cover it without looping.</summary>
    private const int MaxAttempts = 3;

    /// <summary>1xx heads skipped before a final one; a model sending them without end is broken.</summary>
    private const int MaxInterimResponses = 8;

    public async Task<ForwardResult> ForwardAsync(HttpContext context, Uri target, TimeSpan requestTimeout, ClientBodyStream? clientBody)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(requestTimeout);
        var body = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false ? context.Request.Body : null;
        for (var attempt = 1; ; attempt++)
        {
            // :: Step 1
            ModelConnection connection;
            try
            {
                connection = await connections.RentAsync(target, timeout.Token);
            }
            catch (Exception error) when (error is SocketException or IOException or OperationCanceledException)
            {
                return Failure(context, clientBody, error is OperationCanceledException);
            }

            var exchange = new Exchange(connection, context, clientBody);
            var (result, mayRetry) = await ExchangeAsync(exchange, target, body, timeout.Token);
            if (!mayRetry || attempt == MaxAttempts || !CanSendAgain(body))
            {
                return result;
            }
        }
    }

    /// <returns>The outcome, and whether it may be retried on another connection.</returns>
    private async Task<(ForwardResult Result, bool MayRetry)> ExchangeAsync(Exchange exchange, Uri target, Stream? body, CancellationToken timeout)
    {
        var (connection, context, clientBody) = (exchange.Connection, exchange.Context, exchange.ClientBody);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout);
        var reusable = false;

        // :: Step 2
        var sending = SendAsync(exchange, target, body, cancel);
        try
        {
            // :: Step 3
            var head = connection.Head;
            var (problem, closedBeforeAnswer) = await ReadHeadAsync(exchange, head, cancel.Token);
            if (closedBeforeAnswer)
            {
                // A clean close after the request went out: the model may have read it and run it, so
                // it is not sent again (nginx does not either), unless writing it failed outright.
                return (clientBody?.Failure is not null ? ForwarderError.RequestBodyClient : ForwarderError.Unreachable, MayRetry(exchange, sending.IsFaulted));
            }

            if (problem is not null)
            {
                return (new(ForwarderError.InvalidResponse, problem), false);
            }

            // :: Step 4
            ForwardedHeaders.CopyToClient(head, context);
            answer.SetStatus(context, head.Status, head.Reason);
            exchange.Relaying = true;
            problem = await RelayBodyAsync(connection.Input, head, context, cancel.Token);
            if (problem is not null)
            {
                return (new(ForwarderError.ResponseBroken, problem), false);
            }

            // :: Step 5: the whole request must have gone too (a model may answer before reading it all).
            reusable = head.KeepAlive;
            return (ForwarderError.None, false);
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return (ForwarderError.ClientGone, false);
            }

            if (clientBody?.Failure is not null)
            {
                return (ForwarderError.RequestBodyClient, false);
            }

            return exchange.Relaying ? (ForwarderError.ResponseBroken, false)
                : error is OperationCanceledException && timeout.IsCancellationRequested ? (ForwarderError.Timeout, false)
                : (ForwarderError.Unreachable, MayRetry(exchange, sending.IsFaulted || IsReset(error)));
        }
        finally
        {
            if (!sending.IsCompleted)
            {
                reusable = false;
                await cancel.CancelAsync();
            }

            try
            {
                await sending;
            }
            catch (Exception error) when (error is IOException or SocketException or OperationCanceledException)
            {
                reusable = false;
            }

            if (reusable && NothingLeftToRead(connection.Input))
            {
                connections.Return(connection);
            }
            else
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>
    /// Whether the request may go again on another connection: only on a reused connection, with
    /// nothing of an answer received, and with proof that the model did not take the request: the
    /// write failed, or the connection was reset (a socket closed with unread data resets, so the
    /// model had closed it while it was idle, or dropped the request unread).
    /// </summary>
    private static bool MayRetry(Exchange exchange, bool notTaken) =>
        notTaken && !exchange.Received && exchange.Connection.Reused;

    private static bool IsReset(Exception error) =>
        (error as SocketException ?? error.InnerException as SocketException)?.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown;

    /// <summary>Sends the request; a failure on the client's side (its body) stops the whole exchange at once.</summary>
    private static async Task SendAsync(Exchange exchange, Uri target, Stream? body, CancellationTokenSource cancel)
    {
        try
        {
            await RequestSender.SendAsync(exchange.Connection.Output, exchange.Context, target, body, cancel.Token);
        }
        catch (Exception) when (exchange.ClientBody?.Failure is not null && !cancel.IsCancellationRequested)
        {
            await cancel.CancelAsync();
            throw;
        }
    }

    /// <returns>What is wrong with the head, or whether the model closed before sending one; (null, false) when <paramref name="head"/> holds a final answer.</returns>
    private static async Task<(string? Problem, bool ClosedBeforeAnswer)> ReadHeadAsync(Exchange exchange, ResponseHead head, CancellationToken cancellationToken)
    {
        var input = exchange.Connection.Input;
        var isHead = HttpMethods.IsHead(exchange.Context.Request.Method);
        var interim = 0;
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            exchange.Received |= !buffer.IsEmpty;
            switch (ResponseHeadParser.TryParse(buffer, isHead, head, out var consumed, out var problem))
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
                        return exchange.Received ? ("the connection closed in the middle of the response head", false) : (null, true);
                    }

                    break;
            }
        }
    }

    /// <returns>Null when the body was relayed in full; else what was wrong with it.</returns>
    private static async Task<string?> RelayBodyAsync(PipeReader input, ResponseHead head, HttpContext context, CancellationToken cancellationToken)
    {
        var output = context.Response.BodyWriter;
        switch (head.Framing)
        {
            case ResponseFraming.ContentLength:
                context.Response.ContentLength = head.ContentLength;
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

                    // The last piece goes with the response's end (one write, and on HTTP/2 one frame fewer).
                    if (left > 0)
                    {
                        await FlushAsync(output, context, cancellationToken);
                    }
                }

                return null;

            case ResponseFraming.Chunked:
                var decoder = new ChunkedDecoder();
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

                    if (!decoder.IsDone)
                    {
                        await FlushAsync(output, context, cancellationToken);
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

                    await FlushAsync(output, context, cancellationToken);
                }

            default:
                return null;
        }
    }

    private static void Write(PipeWriter output, ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            output.Write(segment.Span);
        }
    }

    /// <summary>Waits until the client has taken what was written: back-pressure on the model's side.</summary>
    private static async ValueTask FlushAsync(PipeWriter output, HttpContext context, CancellationToken cancellationToken)
    {
        var flushed = await output.FlushAsync(cancellationToken);
        if (flushed.IsCompleted || flushed.IsCanceled || context.RequestAborted.IsCancellationRequested)
        {
            throw new OperationCanceledException("The client went away.", context.RequestAborted);
        }
    }

    /// <summary>A clean end leaves nothing unread: bytes past the response (or a close) mean the connection cannot carry another.</summary>
    private static bool NothingLeftToRead(PipeReader input)
    {
        if (!input.TryRead(out var rest))
        {
            return true;
        }

        input.AdvanceTo(rest.Buffer.Start);
        return rest.Buffer.IsEmpty && !rest.IsCompleted;
    }

    /// <summary>A body can be sent again while all that was read of it is still held: the client's prefix, or a mirrored request's copy.</summary>
    private static bool CanSendAgain(Stream? body)
    {
        switch (body)
        {
            case null:
                return true;
            case ClientBodyStream client:
                return client.TryRewind();
            case { CanSeek: true }:
                body.Position = 0;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whose fault a failure before any exchange is: the client's, its body's, the timeout's, or the model's.</summary>
    private static ForwardResult Failure(HttpContext context, ClientBodyStream? clientBody, bool cancelled) =>
        context.RequestAborted.IsCancellationRequested ? ForwarderError.ClientGone
        : clientBody?.Failure is not null ? ForwarderError.RequestBodyClient
        : cancelled ? ForwarderError.Timeout
        : ForwarderError.Unreachable;

    /// <summary>One attempt's state, shared by its sending and receiving halves.</summary>
    private sealed class Exchange(ModelConnection connection, HttpContext context, ClientBodyStream? clientBody)
    {
        public ModelConnection Connection { get; } = connection;

        public HttpContext Context { get; } = context;

        public ClientBodyStream? ClientBody { get; } = clientBody;

        /// <summary>Some byte of an answer came back: the request must not be sent again.</summary>
        public bool Received { get; set; }

        /// <summary>The client's response has started: a failure now aborts it.</summary>
        public bool Relaying { get; set; }
    }
}
