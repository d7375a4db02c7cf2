namespace ScoreGate.Router.Routing;

/// <summary>
/// Where on an instance a call goes when it is not the default (Azure ML's
/// <c>environment.inference_config</c> routes: TF Serving, TorchServe and Triton do not score on /score).
/// </summary>
/// <param name="Path">The path on the instance, such as /v1/models/m:predict.</param>
/// <param name="Port">The port, when it is not the instance's own.</param>
public sealed record ModelRoute(string Path, int? Port = null)
{
    /// <summary>This route on <paramref name="instance"/>'s host.</summary>
    public Uri On(Uri instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new UriBuilder(instance.Scheme, instance.Host, Port ?? instance.Port) { Path = Path }.Uri;
    }
}
