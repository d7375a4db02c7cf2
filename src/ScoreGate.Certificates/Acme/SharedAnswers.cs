namespace ScoreGate.Certificates.Acme;

/// <summary>
/// The responders' use of <see cref="IChallengeAnswerStore"/>: a store that fails costs only
/// the answers other routers would have given, never this router's own, and never throws.
/// </summary>
internal static class SharedAnswers
{
    /// <returns>Null when saved, else why the answer could not be shared.</returns>
    public static async Task<string?> SaveAsync(IChallengeAnswerStore store, string type, string name, string answer, CancellationToken cancellationToken)
    {
        try
        {
            await store.SaveChallengeAnswerAsync(type, name, answer, cancellationToken);
            return null;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return $"The {type} answer could not be shared with the other routers through the store: {error.Message}";
        }
    }

    public static async Task DeleteAsync(IChallengeAnswerStore store, string type, string name, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteChallengeAnswerAsync(type, name, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Left behind, it only answers a validation that is over; the next order overwrites it.
        }
    }

    public static async Task<string?> FindAsync(IChallengeAnswerStore store, string type, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await store.FindChallengeAnswerAsync(type, name, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return null;
        }
    }
}
