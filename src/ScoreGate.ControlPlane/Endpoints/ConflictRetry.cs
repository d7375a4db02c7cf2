namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>
/// Optimistic concurrency for use cases: an attempt reads, validates and makes one conditional
/// write; when another change committed first (<see cref="OperationErrorKind.ChangedMeanwhile"/>),
/// the whole attempt runs again from a fresh read, so both changes land and neither undoes the
/// other. One that keeps losing is refused with 409 rather than retried without end.
/// </summary>
internal static class ConflictRetry
{
    public const int MaxAttempts = 8;

    public static async Task<OperationResult<T>> RunAsync<T>(Func<Task<OperationResult<T>>> attempt, CancellationToken cancellationToken)
    {
        for (var attempts = 1; ; attempts++)
        {
            var result = await attempt();
            if (result.Error is not { Kind: OperationErrorKind.ChangedMeanwhile } || attempts == MaxAttempts)
            {
                return result;
            }

            // A short random pause that grows, so writers racing for the same row stop colliding.
            // Real time on purpose: it spreads contention, it measures nothing.
            await Task.Delay(Random.Shared.Next(1, 5 * attempts + 1), cancellationToken);
        }
    }

    /// <param name="what">What kept changing, as people call it ("Endpoint 'iris'").</param>
    public static OperationError ChangedMeanwhile(string what) => new(OperationErrorKind.ChangedMeanwhile,
        $"{what} was changed by other calls while this one was being applied, {MaxAttempts} times in a row, so this call changed nothing. " +
        "Look at its current state ('show') and send the change again.");
}
