namespace ScoreGate.Testing;

/// <summary>Waits for something another process or thread does, bounded so a test fails instead of hanging.</summary>
public static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string failure, TimeSpan? within = null) =>
        TrueAsync(() => Task.FromResult(condition()), failure, within);

    public static async Task TrueAsync(Func<Task<bool>> condition, string failure, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{failure} (waited {within ?? TimeSpan.FromSeconds(10)}).");
            }

            await Task.Delay(20);
        }
    }
}
