namespace ScoreGate.Router.Forwarding;

/// <summary>How forwarding a request to a model ended, when it did not end well.</summary>
public enum ForwarderError
{
    /// <summary>The model's response was relayed in full.</summary>
    None,

    /// <summary>No connection could be made, or the model broke it before answering: 502.</summary>
    Unreachable,

    /// <summary>The model did not answer within the deployment's request timeout: 408.</summary>
    Timeout,

    /// <summary>
    /// The model's answer is not valid HTTP/1.1, or could be read two ways (a smuggling attempt, a
    /// broken server): 502, the connection to the model closed, nothing of it passed on.
    /// </summary>
    InvalidResponse,

    /// <summary>The model broke the connection after its response had started (or its body's framing then); the client's is aborted.</summary>
    ResponseBroken,

    /// <summary>The client went away; the forwarded request was cancelled.</summary>
    ClientGone,

    /// <summary>
    /// Reading the client's request body failed on the client's side while it was being sent to
    /// the model: malformed (bad chunked encoding), over <c>maxRequestBodyBytes</c>, or slower than
    /// <c>minRequestBodyDataRate</c>. The client's fault: 400, 413 or 408 (see
    /// <see cref="ClientBodyRefusal"/>), logged at Debug, and never counted against the model.
    /// </summary>
    RequestBodyClient,
}
