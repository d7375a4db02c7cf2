namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>What a parser made of the bytes it was given.</summary>
internal enum ParseStatus
{
    /// <summary>Not enough bytes yet: read more and call again with all of them.</summary>
    Incomplete,

    /// <summary>Parsed; the consumed position says where the next part starts.</summary>
    Complete,

    /// <summary>Not valid HTTP/1.1 from a model: the exchange fails, the connection is closed.</summary>
    Invalid,
}
