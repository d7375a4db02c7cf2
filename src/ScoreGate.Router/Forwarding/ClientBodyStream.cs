namespace ScoreGate.Router.Forwarding;

/// <summary>
/// The client's request body as the model receives it. It does two things:
/// <list type="bullet">
/// <item>Says whose fault a failed read is. Reads of the client's body go through it, so when
/// forwarding fails it knows whether the client's side threw (a malformed chunk, a body over
/// <c>maxRequestBodyBytes</c>, a body too slow, a hang-up) rather than the model's. YARP wraps
/// the request body for the same reason (<c>ForwarderError.RequestBodyClient</c> vs
/// <c>RequestBodyDestination</c>); a client's bad body must never count against a model.</item>
/// <item>Holds the first <see cref="PrebufferBytes"/> back until they have arrived, before the
/// request takes a model slot (see <see cref="PrebufferAsync"/>), then replays them.</item>
/// </list>
/// </summary>
public sealed class ClientBodyStream(Stream client) : Stream
{
    /// <summary>
    /// How much of a body must have arrived before the request is admitted to a model instance
    /// (all of it when shorter), as nginx buffers request bodies before it picks an upstream.
    /// A client trickling its body then holds no model slot: it waits alone, and
    /// <c>minRequestBodyDataRate</c> cuts it. 64 KiB covers nearly every JSON scoring request
    /// whole, and larger bodies still stream: the model sees them start while the rest is sent.
    /// </summary>
    public const int PrebufferBytes = 64 * 1024;

    private byte[] _prefix = [];
    private int _prefixLength;
    private int _prefixOffset;
    private bool _readPastPrefix;

    /// <summary>The exception the client's side of the body threw, once it has; null while it has not.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>
    /// Reads until <see cref="PrebufferBytes"/> (or <paramref name="expectedLength"/>, when smaller)
    /// have arrived or the body ends. Sized by Content-Length, so a small JSON body costs a small
    /// array, not 64 KiB.
    /// </summary>
    /// <returns>False when the client's side failed; <see cref="Failure"/> says how.</returns>
    public async Task<bool> PrebufferAsync(long? expectedLength, CancellationToken cancellationToken)
    {
        _prefix = new byte[(int)Math.Min(expectedLength ?? PrebufferBytes, PrebufferBytes)];
        try
        {
            while (_prefixLength < _prefix.Length)
            {
                var read = await client.ReadAsync(_prefix.AsMemory(_prefixLength), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                _prefixLength += read;
            }

            return true;
        }
        catch (Exception error) when (error is IOException or OperationCanceledException)
        {
            // BadHttpRequestException (malformed, too large, too slow) is an IOException.
            Failure = error;
            return false;
        }
    }

    /// <summary>
    /// Starts the body again from its first byte, for a retry on another connection to the model.
    /// Possible only while nothing beyond the held-back prefix has been read: false otherwise.
    /// </summary>
    public bool TryRewind()
    {
        if (_readPastPrefix || Failure is not null)
        {
            return false;
        }

        _prefixOffset = 0;
        return true;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefixOffset < _prefixLength)
        {
            var count = Math.Min(buffer.Length, _prefixLength - _prefixOffset);
            _prefix.AsMemory(_prefixOffset, count).CopyTo(buffer);
            _prefixOffset += count;
            return count;
        }

        try
        {
            var read = await client.ReadAsync(buffer, cancellationToken);
            _readPastPrefix |= read > 0;
            return read;
        }
        catch (Exception error) when (!(error is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // Only the client's own failures: a read the forwarder cancels (the model's timeout ran
            // out while it was not taking the body) is the model's, not the client's.
            Failure ??= error;
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The request body is read asynchronously only (Kestrel disallows synchronous reads).");

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
