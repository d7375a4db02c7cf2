using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Health;

/// <summary>
/// One probe's verdict on one instance, Kubernetes-style: it turns after
/// <see cref="ProbeSettings.FailureThreshold"/> failures in a row, and back after
/// <see cref="ProbeSettings.SuccessThreshold"/> successes in a row.
/// </summary>
public sealed class ProbeCounter(bool passing)
{
    private int _successes;
    private int _failures;

    public bool Passing { get; private set; } = passing;

    /// <returns>True when this result turned a passing verdict into a failing one.</returns>
    public bool Record(bool success, ProbeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var was = Passing;
        if (success)
        {
            _failures = 0;
            _successes++;
            Passing |= _successes >= settings.SuccessThreshold;
        }
        else
        {
            _successes = 0;
            _failures++;
            Passing &= _failures < settings.FailureThreshold;
        }

        return was && !Passing;
    }
}
