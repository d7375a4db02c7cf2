using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScoreGate.Certificates.Acme;

/// <summary>
/// The ACME resources the client reads (RFC 8555, camelCase on the wire), with serializers
/// generated at build time: no reflection, so the Native AOT binary reads them the same.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AcmeDirectory))]
[JsonSerializable(typeof(AcmeOrder))]
[JsonSerializable(typeof(AcmeAuthorization))]
[JsonSerializable(typeof(AcmeProblem))]
[JsonSerializable(typeof(AcmeRenewalInfo))]
internal sealed partial class AcmeJson : JsonSerializerContext
{
    /// <summary>
    /// JSON the client sends, written field by field in the order given, with the serializer's
    /// default escaping: the same text the serializer wrote from dictionaries and anonymous objects.
    /// </summary>
    public static byte[] Utf8(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    /// <inheritdoc cref="Utf8"/>
    public static string Text(Action<Utf8JsonWriter> write) => Encoding.UTF8.GetString(Utf8(write));
}
