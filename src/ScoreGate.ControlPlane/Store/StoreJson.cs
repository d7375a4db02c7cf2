using System.Text.Json.Serialization;

namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// The JSON columns of the store (traffic, urls, request settings, details), with the serializer's
/// default options as before (property names as in C#): generated at build time, so the Native AOT
/// binary reads and writes the same rows without reflection.
/// </summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, int>))]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(RequestSettings))]
[JsonSerializable(typeof(EndpointDetails))]
[JsonSerializable(typeof(DeploymentDetails))]
internal sealed partial class StoreJson : JsonSerializerContext;
