using ScoreGate.Cli;
using ScoreGate.Hosting;
using ScoreGate.Router;

// First, before any TLS, crypto or socket: OpenSSL and the socket engine read their settings once.
OpenSslPolicy.Apply();
InlineSocketCompletions.Apply();

return await ScoreGateCli.Create().Parse(SettingArguments.Normalize(args)).InvokeAsync(ScoreGateCli.Invocation);
