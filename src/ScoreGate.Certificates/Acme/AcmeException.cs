namespace ScoreGate.Certificates.Acme;

/// <summary>
/// The ACME server refused a request or could not be reached. The message says which server,
/// what was asked, and what it answered; <see cref="RetryAfter"/> carries its wish, if any.
/// </summary>
public sealed class AcmeException : Exception
{
    public AcmeException()
    {
    }

    public AcmeException(string message)
        : base(message)
    {
    }

    public AcmeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AcmeException(string message, AcmeProblem? problem, TimeSpan? retryAfter)
        : base(message)
    {
        Problem = problem;
        RetryAfter = retryAfter;
    }

    public AcmeProblem? Problem { get; }

    /// <summary>How long the server asked us to wait (<c>Retry-After</c>), when it did.</summary>
    public TimeSpan? RetryAfter { get; }
}
