namespace ScoreGate.ControlPlane.Store;

/// <summary>One versioned schema change. Migrations are applied in order, each once, each in a transaction.</summary>
public sealed record Migration(int Version, string Name, string Sql);
