namespace ScoreGate.Cli;

/// <summary>What <c>scoregate</c> exits with.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The request was refused or failed (the message says why).</summary>
    public const int Failed = 1;

    /// <summary>Settings or files are wrong; nothing was started.</summary>
    public const int BadConfiguration = 2;
}
