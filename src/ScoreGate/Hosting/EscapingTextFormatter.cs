using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ScoreGate.Hosting;

/// <summary>
/// The <c>logFormat=text</c> console format: the simple console's single line
/// (<c>2026-01-01T00:00:00.000Z info: Category[Id] message</c>), with every C0 and C1 control
/// character of the message escaped as <c>\xNN</c>. Log lines carry what clients send (the
/// access log's path and request id, names in messages); a raw newline or escape sequence
/// would let a client forge log lines or drive the operator's terminal. The JSON format
/// escapes them already.
/// </summary>
internal sealed class EscapingTextFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "scoregate-text";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (logEntry.Exception is null && message is null)
        {
            return;
        }

        var line = new StringBuilder(message.Length + 96);
        var settings = options.CurrentValue;
        if (settings.TimestampFormat is { } format)
        {
            var now = settings.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            line.Append(now.ToString(format, CultureInfo.InvariantCulture));
        }

        line.Append(Level(logEntry.LogLevel)).Append(": ").Append(logEntry.Category)
            .Append('[').Append(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture)).Append(']')
            .Append(' ');
        AppendEscaped(line, message);
        if (logEntry.Exception is { } exception)
        {
            // A stack trace is ours, not a client's: its lines are joined, as the simple console does.
            line.Append(' ');
            AppendEscaped(line, exception.ToString().Replace(Environment.NewLine, " ", StringComparison.Ordinal));
        }

        textWriter.Write(line.Append(Environment.NewLine));
    }

    /// <summary>Controls C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F) become <c>\xNN</c>.</summary>
    internal static void AppendEscaped(StringBuilder line, string text)
    {
        foreach (var c in text)
        {
            if (c < ' ' || c is >= '\u007f' and <= '\u009f')
            {
                line.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                line.Append(c);
            }
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
