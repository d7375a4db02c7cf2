// Run alone: dotnet run --project samples/ScoreGate.SampleModel -- http://127.0.0.1:5001
using ScoreGate.SampleModel;

var url = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("PORT") is { } port ? $"http://127.0.0.1:{port}" : "http://127.0.0.1:5001";
await SampleModelServer.Build(url).RunAsync();
