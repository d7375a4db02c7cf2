using System.Data;
using System.Data.Common;
using System.Globalization;

namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// The few ADO.NET calls the store makes, on both engines: statements with named parameters, read
/// row by row into the caller's types. Plain ADO.NET, no reflection or emitted code, so the store
/// works the same in the Native AOT binary (scripts/publish) as on the JIT.
/// </summary>
/// <remarks>
/// Parameters are named without a prefix (<c>name</c> binds <c>@name</c>): both Microsoft.Data.Sqlite
/// and Npgsql accept that. A null value is sent as a text NULL, as every nullable column is text.
/// </remarks>
internal static class Sql
{
    /// <returns>The number of rows the statement changed.</returns>
    public static async Task<int> ExecuteAsync(this DbConnection connection, string sql, DbTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <returns>The first column of the first row converted to <typeparamref name="T"/>, or its default when there is none or it is NULL.</returns>
    public static async Task<T?> ScalarAsync<T>(this DbConnection connection, string sql, DbTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        where T : IConvertible
    {
        await using var command = Command(connection, sql, transaction, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    public static async Task<List<T>> QueryAsync<T>(this DbConnection connection, string sql, Func<DbDataReader, T> read, DbTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <returns>The one row, or the default when there is none.</returns>
    /// <exception cref="InvalidOperationException">The statement returned more than one row.</exception>
    public static async Task<T?> QuerySingleOrDefaultAsync<T>(this DbConnection connection, string sql, Func<DbDataReader, T> read, DbTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var rows = await connection.QueryAsync(sql, read, transaction, cancellationToken, parameters);
        return rows.Count switch
        {
            0 => default,
            1 => rows[0],
            _ => throw new InvalidOperationException("Sequence contains more than one element"),
        };
    }

    /// <exception cref="InvalidOperationException">The statement returned no row, or more than one.</exception>
    public static async Task<T> QuerySingleAsync<T>(this DbConnection connection, string sql, Func<DbDataReader, T> read, DbTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var rows = await connection.QueryAsync(sql, read, transaction, cancellationToken, parameters);
        return rows.Count switch
        {
            0 => throw new InvalidOperationException("Sequence contains no elements"),
            1 => rows[0],
            _ => throw new InvalidOperationException("Sequence contains more than one element"),
        };
    }

    /// <summary>A text column by name.</summary>
    public static string Text(this DbDataReader reader, string column) => reader.GetString(reader.GetOrdinal(column));

    /// <summary>A text column by name that may be NULL.</summary>
    public static string? NullableText(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    /// <summary>An integer column by name, whatever its width on the engine (SQLite's INTEGER is 64-bit, PostgreSQL's 32).</summary>
    public static long Int64(this DbDataReader reader, string column) =>
        Convert.ToInt64(reader.GetValue(reader.GetOrdinal(column)), CultureInfo.InvariantCulture);

    private static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            if (value is null)
            {
                parameter.DbType = DbType.String;
            }

            command.Parameters.Add(parameter);
        }

        return command;
    }
}
