namespace ScoreGate.ControlPlane.Specs;

/// <summary>
/// Values given beside a file (the CLI's <c>--name</c>, <c>--endpoint</c>), which win over the
/// file's, as in the Azure CLI: a file may then leave out a required field that one of them gives,
/// and the file's own value of that field is not used. Without overrides nothing changes.
/// </summary>
/// <param name="Name">The endpoint's or deployment's name (<c>name</c>).</param>
/// <param name="EndpointName">A deployment's endpoint (<c>endpoint_name</c>).</param>
public sealed record SpecOverrides(string? Name = null, string? EndpointName = null);
