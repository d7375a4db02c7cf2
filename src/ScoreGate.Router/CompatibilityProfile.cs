namespace ScoreGate.Router;

/// <summary>
/// The two status conventions of Azure ML's online endpoints (DESIGN.md §4): managed endpoints
/// answer a timeout with 408 and a model error with 424; Kubernetes endpoints with 504 and 502.
/// </summary>
public enum CompatibilityProfile
{
    Managed,
    Kubernetes,
}
