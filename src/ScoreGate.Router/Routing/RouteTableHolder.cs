namespace ScoreGate.Router.Routing;

/// <summary>Holds the current <see cref="RouteTable"/>; requests read it, the control plane replaces it.</summary>
public sealed class RouteTableHolder
{
    private RouteTable _current = RouteTable.Empty;

    public RouteTable Current => Volatile.Read(ref _current);

    public void Publish(RouteTable table) => Interlocked.Exchange(ref _current, table);
}
