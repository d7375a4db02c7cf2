using System.Buffers;
using System.Net.Sockets;

namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>
/// Sends a request held whole in memory (a mirrored copy of a live request) on a pooled
/// connection and keeps only the answer's status. The answer's body is read to its end, so the
/// connection can carry another request, and dropped. Copies are best effort: never retried.
/// </summary>
public sealed class HeldRequestSender(ModelConnectionPool connections)
{
    /// <returns>The model's status; null when it could not be reached, or answered with a malformed response.</returns>
    public async Task<int?> SendAsync(Uri target, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ModelConnection connection;
        try
        {
            connection = await connections.RentAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }

        var reusable = false;
        try
        {
            connection.Output.Write(head.Span);
            connection.Output.Write(body.Span);
            await connection.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            var answer = connection.Head;
            var (problem, closedBeforeAnswer) = await ResponseReader.ReadHeadAsync(connection.Input, requestWasHead: false, answer, new ResponseProgress(), cancellationToken).ConfigureAwait(false);
            if (problem is not null || closedBeforeAnswer
                || await ResponseReader.CopyBodyAsync(connection.Input, answer, client: null, cancellationToken).ConfigureAwait(false) is not null)
            {
                return null;
            }

            reusable = answer.KeepAlive;
            return answer.Status;
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException)
        {
            return null;
        }
        finally
        {
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
}
