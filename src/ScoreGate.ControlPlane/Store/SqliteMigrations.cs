namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// The schema's history. Never edit a shipped migration: add the next one, so every store,
/// however old, reaches the same schema.
/// </summary>
public static class SqliteMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "endpoints and deployments", """
            CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
            INSERT INTO revision (id, value) VALUES (1, 0);
            CREATE TABLE endpoints (
                name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
                auth_mode TEXT NOT NULL,
                primary_key TEXT NOT NULL,
                secondary_key TEXT NOT NULL,
                traffic TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE TABLE deployments (
                endpoint_name TEXT NOT NULL COLLATE NOCASE,
                name TEXT NOT NULL COLLATE NOCASE,
                urls TEXT NOT NULL,
                request_settings TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (endpoint_name, name));
            """),
    ];
}
