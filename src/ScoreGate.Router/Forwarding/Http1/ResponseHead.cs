namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>A model's response head as parsed: status line, header fields, and how the body is framed.</summary>
internal sealed class ResponseHead
{
    public int Status { get; internal set; }

    public string Reason { get; internal set; } = string.Empty;

    /// <summary>HTTP/1.0: keeps its connection only when it says keep-alive.</summary>
    public bool IsHttp10 { get; internal set; }

    /// <summary>The header fields in the order received, names and values as sent (values trimmed).</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = new(16);

    public ResponseFraming Framing { get; internal set; }

    /// <summary>The body's length when <see cref="Framing"/> is <see cref="ResponseFraming.ContentLength"/>.</summary>
    public long ContentLength { get; internal set; }

    /// <summary>Whether the connection may carry another request once this response is read in full.</summary>
    public bool KeepAlive { get; internal set; }

    internal void Reset()
    {
        Status = 0;
        Reason = string.Empty;
        IsHttp10 = false;
        Headers.Clear();
        Framing = ResponseFraming.None;
        ContentLength = 0;
        KeepAlive = false;
    }
}
