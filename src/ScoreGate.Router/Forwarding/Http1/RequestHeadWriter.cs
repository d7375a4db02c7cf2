using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ScoreGate.Router.Forwarding.Http1;

/// <summary>
/// Writes the request head for a model straight from the client's request, after the header
/// policy (<see cref="ForwardedHeaders"/>): no message objects in between. Values are written as
/// UTF-8, the encoding Kestrel read them in; a name that is not a token, or a value holding CR, LF or NUL, is never written.
/// </summary>
internal static class RequestHeadWriter
{
    /// <summary>RFC 9110 §5.6.2 token characters: Kestrel lets some other bytes through in names; a model never sees them.</summary>
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <param name="target">The model's URL for this request: its path and query, and its authority as Host.</param>
    /// <param name="contentLength">The body's length; null with <paramref name="chunked"/> or with no body.</param>
    /// <param name="chunked">The body's length is unknown (a chunked or HTTP/2 upload): send it chunked.</param>
    public static void Write(IBufferWriter<byte> output, HttpContext context, Uri target, long? contentLength, bool chunked)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        var request = context.Request;
        WriteText(output, request.Method);
        output.Write(" "u8);
        WriteText(output, target.PathAndQuery);
        output.Write(" HTTP/1.1\r\nHost: "u8);
        WriteText(output, target.Authority);
        output.Write("\r\n"u8);

        var connection = request.Headers.Connection;
        foreach (var (name, values) in request.Headers)
        {
            if (ForwardedHeaders.ToModel(name, connection) && !string.Equals(name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                // RFC 9113 §8.2.3: cookies split over several HTTP/2 fields are joined with "; " for HTTP/1.1.
                WriteField(output, name, values.Count == 1 ? values[0]
                    : string.Join(string.Equals(name, HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase) ? "; " : ", ", values.ToArray()));
            }
        }

        WriteField(output, "X-Forwarded-For", Http.ClientAddress.Normalize(context.Connection.RemoteIpAddress)?.ToString());
        WriteField(output, "X-Forwarded-Proto", request.Scheme);
        WriteField(output, "X-Forwarded-Host", request.Host.Value);
        if (ClientCertificateHeaders.ToForward(context) is { } certificate)
        {
            WriteField(output, ClientCertificateHeaders.Subject, certificate.Subject);
            WriteField(output, ClientCertificateHeaders.SubjectAlternativeNames, certificate.SubjectAlternativeNames);
            WriteField(output, ClientCertificateHeaders.Sha256, certificate.Sha256);
        }

        if (chunked)
        {
            output.Write("Transfer-Encoding: chunked\r\n"u8);
        }
        else if ((contentLength ?? (SaysItsLength(request.Method) ? 0 : null)) is { } length)
        {
            // A POST without a body still says so: some servers refuse a POST with no length (411).
            output.Write("Content-Length: "u8);
            var span = output.GetSpan(20);
            Utf8Formatter.TryFormat(length, span, out var written);
            output.Advance(written);
            output.Write("\r\n"u8);
        }

        output.Write("\r\n"u8);
    }

    /// <summary>Methods whose requests carry a body: without one, they say so with Content-Length: 0, as clients do.</summary>
    private static bool SaysItsLength(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method);

    private static void WriteField(IBufferWriter<byte> output, string name, string? value)
    {
        if (value is null || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0 || name.Length == 0 || name.AsSpan().ContainsAnyExcept(TokenChars))
        {
            return;
        }

        WriteText(output, name);
        output.Write(": "u8);
        WriteText(output, value);
        output.Write("\r\n"u8);
    }

    private static void WriteText(IBufferWriter<byte> output, string text) => Encoding.UTF8.GetBytes(text, output);
}
