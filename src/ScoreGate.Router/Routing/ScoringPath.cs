namespace ScoreGate.Router.Routing;

/// <summary>
/// Parses the scoring URIs: v1 style <c>/api/v1/service/&lt;endpoint&gt;/score</c> and
/// <c>.../swagger.json</c>, and <c>/score</c> and <c>/swagger.json</c> on an endpoint's own host.
/// </summary>
public static class ScoringPath
{
    private const string Prefix = "/api/v1/service/";

    /// <summary>The model path of scoring.</summary>
    public const string Score = "/score";

    /// <summary>The model path of the model's schema.</summary>
    public const string Swagger = "/swagger.json";

    /// <param name="path">The request path.</param>
    /// <param name="endpoint">The endpoint name segment.</param>
    /// <param name="modelPath">What to call on the model: "/score" or "/swagger.json".</param>
    public static bool TryParse(string? path, out ReadOnlySpan<char> endpoint, out string modelPath)
    {
        endpoint = default;
        modelPath = string.Empty;
        if (path is null || !path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = path.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        if (!TryParseOperation(rest[(slash + 1)..], out modelPath))
        {
            return false;
        }

        endpoint = rest[..slash];
        return true;
    }

    /// <summary>Parses <c>/score</c> or <c>/swagger.json</c>, as sent to an endpoint's own host name.</summary>
    public static bool TryParseHostPath(string? path, out string modelPath)
    {
        modelPath = string.Empty;
        return path is not null && path.StartsWith('/') && TryParseOperation(path.AsSpan(1), out modelPath);
    }

    private static bool TryParseOperation(ReadOnlySpan<char> operation, out string modelPath)
    {
        modelPath = operation.Equals(Score.AsSpan(1), StringComparison.OrdinalIgnoreCase) ? Score
            : operation.Equals(Swagger.AsSpan(1), StringComparison.OrdinalIgnoreCase) ? Swagger
            : string.Empty;
        return modelPath.Length > 0;
    }
}
