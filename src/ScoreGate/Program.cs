using ScoreGate.Cli;

return await ScoreGateCli.Create().Parse(args).InvokeAsync(ScoreGateCli.Invocation);
