using System.Text;
using System.Text.Json;

namespace ScoreGate.Router.Health;

/// <summary>
/// Why a model says it is not ready, from its probe answer's body: the "message" of a JSON body
/// (as ScoreGate's inference host writes "init() failed: ..."), else the start of the text. Read
/// bounded and printed safe: it goes into logs, <c>deployment show</c> and 503 messages.
/// </summary>
internal static class ProbeAnswer
{
    private const int MaxBytes = 2048;
    private const int MaxChars = 300;

    /// <returns>": reason", or empty when the body says nothing usable.</returns>
    public static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            var text = Message(buffer.AsSpan(0, length));
            return text.Length == 0 ? string.Empty : $": {text}";
        }
        catch (Exception error) when (error is IOException or HttpRequestException or OperationCanceledException)
        {
            return string.Empty;
        }
    }

    private static string Message(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body);
        try
        {
            using var json = JsonDocument.Parse(body.ToArray());
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                text = message.GetString() ?? string.Empty;
            }
        }
        catch (JsonException)
        {
            // Not JSON (or cut short): the text itself.
        }

        var safe = new StringBuilder(Math.Min(text.Length, MaxChars));
        foreach (var c in text.Trim())
        {
            if (safe.Length == MaxChars)
            {
                safe.Append("...");
                break;
            }

            safe.Append(char.IsControl(c) ? ' ' : c);
        }

        return safe.ToString();
    }
}
