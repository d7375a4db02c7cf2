namespace ScoreGate.Router.Forwarding;

/// <summary>How forwarding ended, and for a model's malformed answer, what was wrong with it (for the log).</summary>
public readonly record struct ForwardResult(ForwarderError Error, string? Detail = null)
{
    public static implicit operator ForwardResult(ForwarderError error) => new(error);

    public static ForwardResult FromForwarderError(ForwarderError error) => new(error);
}
