namespace ScoreGate.Router.Routing;

/// <summary>
/// Parses the v1 scoring URIs: <c>/api/v1/service/&lt;endpoint&gt;/score</c> and
/// <c>/api/v1/service/&lt;endpoint&gt;/swagger.json</c>.
/// </summary>
public static class ScoringPath
{
    private const string Prefix = "/api/v1/service/";

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

        var operation = rest[(slash + 1)..];
        if (operation.Equals("score", StringComparison.OrdinalIgnoreCase))
        {
            modelPath = "/score";
        }
        else if (operation.Equals("swagger.json", StringComparison.OrdinalIgnoreCase))
        {
            modelPath = "/swagger.json";
        }
        else
        {
            return false;
        }

        endpoint = rest[..slash];
        return true;
    }
}
