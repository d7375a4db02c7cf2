namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>How a model's response body is delimited (RFC 9112 §6.3).</summary>
internal enum ResponseFraming
{
    /// <summary>No body: a 1xx, 204 or 304, or the answer to HEAD.</summary>
    None,

    /// <summary>Exactly <see cref="ResponseHead.ContentLength"/> bytes.</summary>
    ContentLength,

    /// <summary>Chunked transfer coding, ended by a zero-size chunk and the trailer section.</summary>
    Chunked,

    /// <summary>Neither length nor chunks: the body ends when the model closes the connection.</summary>
    CloseDelimited,
}
