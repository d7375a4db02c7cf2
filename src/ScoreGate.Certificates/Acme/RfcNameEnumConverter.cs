using System.Text.Json.Serialization;

namespace ScoreGate.Certificates.Acme;

/// <summary>
/// Reads an ACME enum by its RFC name only (<c>JsonStringEnumMemberName</c>): unlike the default
/// converter, never a number, which no CA means and which would pass for a status it never sent.
/// </summary>
internal sealed class RfcNameEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
