using System.Collections.Concurrent;
using System.Net.Sockets;

namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>
/// Keep-alive connections to model instances, per host and port. The most recently used idle
/// connection is taken first (it is the least likely to have been closed by the model), each is
/// checked for a close before use, and a sweep closes those idle longer than <see cref="IdleTimeout"/>.
/// </summary>
public sealed class ModelConnectionPool : IDisposable
{
    /// <summary>On a healthy network a model answers a connect in milliseconds; longer means it is gone.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Idle connections are closed after this, so a model that went away holds no sockets here.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>More idle connections than this to one instance are closed instead of kept.</summary>
    public const int MaxIdlePerModel = 256;

    private readonly ConcurrentDictionary<(string Host, int Port), IdleConnections> _idle = new();
    private readonly Timer _sweep;

    public ModelConnectionPool()
    {
        _sweep = new Timer(_ => Sweep(), null, IdleTimeout / 4, IdleTimeout / 4);
    }

    /// <summary>An open connection to <paramref name="target"/>'s host and port: an idle one, or a new one.</summary>
    /// <exception cref="SocketException">The model refused, or did not answer within <see cref="ConnectTimeout"/>.</exception>
    internal async ValueTask<ModelConnection> RentAsync(Uri target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        // IdnHost: an IPv6 literal without its brackets, as a socket connects to it.
        (string Host, int Port) model = (target.IdnHost, target.Port);
        if (_idle.TryGetValue(model, out var idle))
        {
            var now = Environment.TickCount64;
            while (idle.TryTake(out var connection))
            {
                if (now - connection.IdleSince < (long)IdleTimeout.TotalMilliseconds && connection.IsIdleAndOpen())
                {
                    connection.Reused = true;
                    return connection;
                }

                connection.Dispose();
            }
        }

        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(ConnectTimeout);
        try
        {
            var socket = await ModelSockets.ConnectAsync(model.Host, model.Port, connectTimeout.Token).ConfigureAwait(false);
            return new ModelConnection(socket, model);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SocketException((int)SocketError.TimedOut);
        }
    }

    /// <summary>Takes back a connection whose last response was read in full and that may carry another request.</summary>
    internal void Return(ModelConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.IdleSince = Environment.TickCount64;
        var idle = _idle.GetOrAdd(connection.Model, _ => new IdleConnections());
        if (!idle.TryAdd(connection))
        {
            connection.Dispose();
        }
    }

    /// <summary>Closes connections idle too long, and forgets instances with none left (instances come and go).</summary>
    private void Sweep()
    {
        var oldest = Environment.TickCount64 - (long)IdleTimeout.TotalMilliseconds;
        foreach (var (model, idle) in _idle)
        {
            if (idle.CloseIdleSince(oldest))
            {
                _idle.TryRemove(new KeyValuePair<(string, int), IdleConnections>(model, idle));
            }
        }
    }

    public void Dispose()
    {
        _sweep.Dispose();
        foreach (var idle in _idle.Values)
        {
            idle.CloseIdleSince(long.MaxValue);
        }
    }

    /// <summary>One instance's idle connections, newest last; a lock is cheaper here than a lock-free stack's node per push.</summary>
    private sealed class IdleConnections
    {
        private readonly Lock _gate = new();
        private readonly List<ModelConnection> _connections = [];
        private bool _retired;

        public bool TryTake(out ModelConnection connection)
        {
            lock (_gate)
            {
                if (_connections.Count == 0)
                {
                    connection = null!;
                    return false;
                }

                connection = _connections[^1];
                _connections.RemoveAt(_connections.Count - 1);
                return true;
            }
        }

        /// <summary>False when full, or when the sweep has dropped this list (the caller closes the connection).</summary>
        public bool TryAdd(ModelConnection connection)
        {
            lock (_gate)
            {
                if (_retired || _connections.Count >= MaxIdlePerModel)
                {
                    return false;
                }

                _connections.Add(connection);
                return true;
            }
        }

        /// <summary>Closes those idle since before <paramref name="oldest"/>; true (and retired) when none is left.</summary>
        public bool CloseIdleSince(long oldest)
        {
            List<ModelConnection> expired;
            lock (_gate)
            {
                // Oldest first: the expired ones are a prefix.
                var count = _connections.FindIndex(c => c.IdleSince >= oldest);
                count = count < 0 ? _connections.Count : count;
                expired = _connections.GetRange(0, count);
                _connections.RemoveRange(0, count);
                _retired = _connections.Count == 0;
            }

            foreach (var connection in expired)
            {
                connection.Dispose();
            }

            return _retired;
        }
    }
}
