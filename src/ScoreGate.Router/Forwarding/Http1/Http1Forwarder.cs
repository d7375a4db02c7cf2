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
            var (problem, closedBeforeAnswer) = await ResponseReader.ReadHeadAsync(connection.Input, HttpMethods.IsHead(context.Request.Method), head, exchange, cancel.Token);
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
            problem = await ResponseReader.CopyBodyAsync(connection.Input, head, context, cancel.Token);
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

            if (reusable && ResponseReader.NothingLeftToRead(connection.Input))
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
    private sealed class Exchange(ModelConnection connection, HttpContext context, ClientBodyStream? clientBody) : ResponseProgress
    {
        public ModelConnection Connection { get; } = connection;

        public HttpContext Context { get; } = context;

        public ClientBodyStream? ClientBody { get; } = clientBody;

        /// <summary>The client's response has started: a failure now aborts it.</summary>
        public bool Relaying { get; set; }
    }
}
