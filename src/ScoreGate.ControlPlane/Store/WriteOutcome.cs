namespace ScoreGate.ControlPlane.Store;

/// <summary>How a conditional write ended. Writes name the row version they were computed from.</summary>
public enum WriteOutcome
{
    /// <summary>The write was committed, with the revision bump.</summary>
    Written,

    /// <summary>A row it names does not exist (any more); nothing was written.</summary>
    NotFound,

    /// <summary>
    /// A row it names changed since it was read (another change committed first), or a row it
    /// would create already exists; nothing was written. Read again and recompute, or refuse.
    /// </summary>
    Conflict,
}
