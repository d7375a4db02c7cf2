namespace ScoreGate.Router.Auth;

/// <summary>How callers of an endpoint prove who they are (Azure ML's <c>auth_mode</c>).</summary>
public enum EndpointAuthMode
{
    /// <summary>Bearer primary or secondary key of the endpoint.</summary>
    Key,

    /// <summary>No credentials: only on explicit request (<c>--auth-mode none</c>).</summary>
    None,
}
