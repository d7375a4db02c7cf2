using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ScoreGate.FunctionalTests.ModelContract;

/// <summary>
/// A model that is a plain TCP listener on loopback: each connection is handed to a test's
/// script, which reads requests and writes whatever bytes it likes. It records what it saw
/// (connections, request heads, connections the router closed) for the test to check.
/// </summary>
public sealed class RawModelServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<RawModelConnection, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<RawModelConnection> _connections = [];
    private readonly Task _accepting;
    private int _accepted;
    private int _closedByRouter;

    private RawModelServer(Func<RawModelConnection, Task> script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections on which the router closed its side (read returned 0 or the socket was reset).</summary>
    public int ClosedByRouter => Volatile.Read(ref _closedByRouter);

    /// <summary>Every request head read, in order, with the connection it came on.</summary>
    public ConcurrentQueue<RawModelRequest> Requests { get; } = new();

    public static RawModelServer Start(Func<RawModelConnection, Task> script) => new(script);

    /// <summary>A script answering every request on a connection with <paramref name="answer"/>, until the router closes it.</summary>
    public static RawModelServer Answering(Func<RawModelRequest, string> answer) => new(async connection =>
    {
        while (await connection.ReadRequestAsync() is { } request)
        {
            await connection.SendAsync(answer(request));
        }
    });

    internal void CountClosedByRouter() => Interlocked.Increment(ref _closedByRouter);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var connection in _connections)
        {
            connection.Close();
        }

        try
        {
            await _accepting;
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            var connection = new RawModelConnection(this, socket, Interlocked.Increment(ref _accepted));
            _connections.Add(connection);
            _ = Task.Run(async () =>
            {
                try
                {
                    await _script(connection);
                }
                catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException)
                {
                }
                finally
                {
                    connection.Close();
                }
            });
        }
    }
}

/// <summary>One connection from the router to a <see cref="RawModelServer"/>.</summary>
public sealed class RawModelConnection
{
    private readonly RawModelServer _server;
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    internal RawModelConnection(RawModelServer server, Socket socket, int number)
    {
        _server = server;
        _socket = socket;
        Number = number;
    }

    /// <summary>1 for the server's first connection, and so on.</summary>
    public int Number { get; }

    /// <summary>Reads one request (head and a Content-Length or chunked body); null when the router closed the connection first.</summary>
    public async Task<RawModelRequest?> ReadRequestAsync()
    {
        var headEnd = await FindAsync("\r\n\r\n"u8.ToArray());
        if (headEnd < 0)
        {
            return null;
        }

        var head = Encoding.Latin1.GetString(_buffer, _start, headEnd - _start);
        _start = headEnd + 4;
        var lines = head.Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => (Name: p[0].Trim(), Value: p.Length > 1 ? p[1].Trim() : "")).ToList();
        string? Header(string name) => headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

        var body = new MemoryStream();
        if (Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            while (true)
            {
                var lineEnd = await FindAsync("\r\n"u8.ToArray());
                if (lineEnd < 0)
                {
                    return null;
                }

                var size = int.Parse(Encoding.Latin1.GetString(_buffer, _start, lineEnd - _start).Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                _start = lineEnd + 2;
                if (size == 0)
                {
                    // Trailers, then the empty line.
                    while (await FindAsync("\r\n"u8.ToArray()) is var end && end >= 0 && end != _start)
                    {
                        _start = end + 2;
                    }

                    _start += 2;
                    break;
                }

                await CopyBodyAsync(body, size + 2);
                body.SetLength(body.Length - 2);
            }
        }
        else if (long.TryParse(Header("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            await CopyBodyAsync(body, length);
        }

        var request = new RawModelRequest(Number, lines[0], headers, body.ToArray());
        _server.Requests.Enqueue(request);
        return request;
    }

    /// <summary>Writes text as Latin-1 bytes in one send, so a test can put any byte anywhere.</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>Waits until the router closes its side (or resets it), discarding what it sends meanwhile.</summary>
    public async Task WaitForRouterToCloseAsync()
    {
        var scratch = new byte[16 * 1024];
        try
        {
            while (await _socket.ReceiveAsync(scratch, SocketFlags.None) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }

        _server.CountClosedByRouter();
    }

    /// <summary>
    /// Waits until the router's next request starts to arrive, then resets the connection without
    /// reading it (a close with unread data sends RST): a model that never took the request.
    /// </summary>
    public async Task ResetOnNextRequestAsync()
    {
        await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek);
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Close()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }

    private async Task CopyBodyAsync(MemoryStream body, long count)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync())
            {
                throw new IOException("The router closed the connection inside a request body.");
            }

            var take = (int)Math.Min(count, _end - _start);
            body.Write(_buffer, _start, take);
            _start += take;
            count -= take;
        }
    }

    /// <summary>Where <paramref name="marker"/> starts in the buffered bytes, reading more as needed; -1 on end of stream.</summary>
    private async Task<int> FindAsync(byte[] marker)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf(marker);
            if (at >= 0)
            {
                return _start + at;
            }

            if (!await FillAsync())
            {
                return -1;
            }
        }
    }

    private async Task<bool> FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidOperationException("A request head over 256 KiB.");
        }

        int read;
        try
        {
            read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        }
        catch (SocketException)
        {
            read = 0;
        }

        if (read == 0)
        {
            _server.CountClosedByRouter();
            return false;
        }

        _end += read;
        return true;
    }
}

/// <summary>A request as a <see cref="RawModelServer"/> read it.</summary>
public sealed record RawModelRequest(int Connection, string RequestLine, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
