namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// The schema's history, the same for SQLite and PostgreSQL: the statements keep to what both
/// understand (PostgreSQL reads COLLATE NOCASE as the case-insensitive collation its engine
/// creates first). Never edit a shipped migration: add the next one, so every store, however
/// old, reaches the same schema.
/// </summary>
public static class StoreMigrations
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
        new(2, "tls bindings set through the API", """
            CREATE TABLE tls_bindings (
                scope TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
                host_name TEXT COLLATE NOCASE,
                kind TEXT NOT NULL,
                certificate_path TEXT,
                key_path TEXT,
                passphrase_path TEXT,
                secret_name TEXT,
                certificate_pem TEXT,
                key_pem TEXT,
                passphrase TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE UNIQUE INDEX tls_bindings_host_name ON tls_bindings (host_name) WHERE host_name IS NOT NULL;
            """),
        new(3, "managed certificates and ACME accounts", """
            CREATE TABLE managed_certificates (
                scope TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
                label TEXT NOT NULL,
                host_name TEXT NOT NULL COLLATE NOCASE,
                challenge TEXT NOT NULL,
                certificate_pem TEXT,
                key_pem TEXT,
                serial_number TEXT,
                not_before TEXT,
                not_after TEXT,
                issued_by TEXT,
                next_attempt_at TEXT,
                renew_requested INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                last_attempt_at TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE TABLE acme_accounts (
                directory TEXT NOT NULL PRIMARY KEY,
                key_pem TEXT NOT NULL,
                account_url TEXT,
                created_at TEXT NOT NULL);
            """),
        new(4, "token signing keys", """
            CREATE TABLE token_signing_keys (
                id TEXT NOT NULL PRIMARY KEY,
                key_pem TEXT NOT NULL,
                created_at TEXT NOT NULL);
            """),
        new(5, "endpoint and deployment details (description, tags, mirror, probes)", """
            ALTER TABLE endpoints ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
            ALTER TABLE deployments ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
            """),
        new(6, "shared ACME challenge answers and the master key check", """
            CREATE TABLE acme_challenges (
                type TEXT NOT NULL,
                name TEXT NOT NULL,
                answer TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (type, name));
            CREATE TABLE master_key_check (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL);
            """),
        new(7, "row versions (optimistic concurrency) and endpoint incarnations (token binding)", """
            ALTER TABLE endpoints ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
            ALTER TABLE endpoints ADD COLUMN incarnation TEXT NOT NULL DEFAULT '';
            ALTER TABLE deployments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
            """),
        new(8, "client certificates (mTLS) per TLS binding", """
            ALTER TABLE tls_bindings ADD COLUMN client_ca_path TEXT;
            ALTER TABLE tls_bindings ADD COLUMN client_crl_path TEXT;
            ALTER TABLE tls_bindings ADD COLUMN client_certificate_mode TEXT;
            """),
    ];
}
