namespace ScoreGate.ControlPlane.Processes;

/// <summary>The last lines a deployment's processes wrote (stdout and stderr, all instances), for <c>deployment logs</c>.</summary>
public sealed class ProcessLog
{
    public const int MaxLines = 2000;

    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(int instance, string line)
    {
        lock (_gate)
        {
            _lines.Enqueue($"[{instance}] {line}");
            while (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    public IReadOnlyList<string> Tail(int count)
    {
        lock (_gate)
        {
            return [.. _lines.Skip(Math.Max(0, _lines.Count - count))];
        }
    }
}
