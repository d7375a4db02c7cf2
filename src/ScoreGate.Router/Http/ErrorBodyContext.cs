using System.Text.Json.Serialization;

namespace ScoreGate.Router.Http;

/// <summary>Source-generated serializer for error bodies: no reflection on the request path.</summary>
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ErrorBodyContext : JsonSerializerContext;
