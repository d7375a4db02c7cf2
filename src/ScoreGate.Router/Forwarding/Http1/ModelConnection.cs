using System.IO.Pipelines;
using System.Net.Sockets;

namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>One keep-alive connection to a model instance, read and written through pipes.</summary>
internal sealed class ModelConnection : IDisposable
{
    /// <summary>
    /// Large enough that a typical JSON answer, head and body, arrives in one read, and that
    /// 1 MiB bodies move in few system calls; the pipes rent these from the shared pool.
    /// </summary>
    private const int BufferBytes = 16 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    internal ModelConnection(Socket socket, (string Host, int Port) model)
    {
        _socket = socket;
        Model = model;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: BufferBytes, minimumReadSize: BufferBytes / 4, leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: BufferBytes, leaveOpen: true));
    }

    public PipeReader Input { get; }

    /// <summary>The head of the response being read, reused from one exchange to the next.</summary>
    public ResponseHead Head { get; } = new();

    public PipeWriter Output { get; }

    /// <summary>The host and port it reaches: its pool.</summary>
    internal (string Host, int Port) Model { get; }

    /// <summary>True when it came from the pool: a failure before any answer may then be a model that closed it while idle.</summary>
    public bool Reused { get; internal set; }

    /// <summary>When it was last returned to the pool (<see cref="Environment.TickCount64"/>).</summary>
    internal long IdleSince { get; set; }

    /// <summary>
    /// An idle connection must have nothing to read: readable means the model closed it (end of
    /// stream or a reset) or sent bytes nobody asked for. Either way it must not carry a request.
    /// </summary>
    internal bool IsIdleAndOpen()
    {
        try
        {
            return !_socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Closes it without sending what is still buffered: a connection is closed only when it is
    /// not reused, often because writing to it failed (completing the writer without an exception
    /// would flush, and throw a broken pipe out of the request).
    /// </summary>
    public void Dispose()
    {
        Input.Complete();
        Output.Complete(Closed);
        _stream.Dispose();
    }

    private static readonly ObjectDisposedException Closed = new(nameof(ModelConnection));
}
