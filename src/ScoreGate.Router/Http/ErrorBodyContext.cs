using System.Text.Json.Serialization;

namespace ScoreGate.Router.Http;

/// <summary>Source-generated serializer for error bodies: no reflection on the request path.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ErrorBodyContext : JsonSerializerContext;
