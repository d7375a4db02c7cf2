namespace ScoreGate.Router;

/// <summary>
/// Socket completions run on the runtime's socket event threads instead of being handed to the
/// thread pool: one thread hand-off fewer for every socket read, which on few cores is most of
/// the difference (docs/performance.md). The runtime reads the variable once, when the first
/// socket is used, so it is set first thing; a value the user set (0 turns it off) is kept.
/// Code that resumes after awaiting a socket may then be on an event thread, so slow synchronous
/// work (generating an RSA key) is sent to the thread pool.
/// </summary>
public static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
