using ScoreGate.Cli;
using ScoreGate.Hosting;

// First, before any TLS or crypto: OpenSSL reads its configuration once, when it starts.
OpenSslPolicy.Apply();

return await ScoreGateCli.Create().Parse(args).InvokeAsync(ScoreGateCli.Invocation);
