using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using ScoreGate.Router.Http;

namespace ScoreGate.Router.Forwarding;

/// <summary>
/// The client's status for a model's answer (DESIGN.md §4): a 2xx passes as it is; anything
/// else becomes 424 (502 under the kubernetes profile) naming the model's status and reason,
/// with the model's own body, which is what explains the error.
/// </summary>
public sealed class ModelAnswer(DataPlaneOptions settings)
{
    private readonly int _modelErrorStatus = settings.CompatibilityProfile == CompatibilityProfile.Kubernetes
        ? StatusCodes.Status502BadGateway
        : StatusCodes.Status424FailedDependency;

    public void SetStatus(HttpContext context, int status, string? reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (status is < 200 or > 299)
        {
            context.Response.Headers[RouterHeaders.ModelErrorStatusCode] = status.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers[RouterHeaders.ModelErrorReason] = HeaderSafe(string.IsNullOrEmpty(reason) ? ReasonPhrases.GetReasonPhrase(status) : reason);
            status = _modelErrorStatus;
        }

        context.Response.StatusCode = status;
    }

    /// <summary>A reason phrase comes from the model: keep it to visible ASCII, as a header must be.</summary>
    private static string HeaderSafe(string reason) =>
        string.Concat(reason.Where(c => c is >= ' ' and <= '~')).Trim();
}
