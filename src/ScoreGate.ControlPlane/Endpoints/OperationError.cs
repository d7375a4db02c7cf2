namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>Why a control-plane operation was refused.</summary>
public enum OperationErrorKind
{
    /// <summary>The request itself is wrong (a bad name, weights that do not add up): 400.</summary>
    Invalid,

    /// <summary>An endpoint or deployment it names does not exist: 404.</summary>
    NotFound,

    /// <summary>It clashes with what exists (a duplicate name, a deployment that still has traffic): 409.</summary>
    Conflict,

    /// <summary>
    /// Another change to the same endpoint or deployment committed between this operation's read
    /// and its write. Use cases retry from a fresh read; one that keeps losing is refused: 409.
    /// </summary>
    ChangedMeanwhile,

    /// <summary>A peer it depends on (the ACME CA, the DNS server) refused or failed; the state is kept and retried: 502.</summary>
    Upstream,
}

/// <summary>A refusal that names what is wrong and how to fix it.</summary>
/// <param name="Field">
/// The field of an endpoint or deployment file it concerns, in the file's (Azure ML's) names, such as
/// <c>auth_mode</c> or <c>request_settings.max_queue_wait_ms</c>; null when it concerns no one field.
/// The admin API passes it on, so the CLI can point at the line of <c>-f</c>'s file without guessing.
/// </param>
public sealed record OperationError(OperationErrorKind Kind, string Message, string? Field = null);

/// <summary>The outcome of a control-plane operation: a value, or the error.</summary>
public readonly record struct OperationResult<T>(T? Value, OperationError? Error)
{
    public static implicit operator OperationResult<T>(T value) => new(value, null);

    public static implicit operator OperationResult<T>(OperationError error) => new(default, error);
}
