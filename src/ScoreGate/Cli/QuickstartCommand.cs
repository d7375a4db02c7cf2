using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ScoreGate.Certificates.DevCa;
using ScoreGate.ControlPlane.Api;
using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Secrets;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Hosting;
using ScoreGate.SampleModel;
using static ScoreGate.ControlPlane.Settings.RouterSettingNames;

namespace ScoreGate.Cli;

/// <summary>
/// <c>scoregate quickstart</c>: a development CA and localhost certificate, the sample Iris
/// model, a router in front of it, endpoint <c>iris</c> with deployment <c>blue</c>, and a curl
/// line that scores through it. Development only: the CA is made here and trusted nowhere.
/// </summary>
public static class QuickstartCommand
{
    private const string EndpointName = "iris";
    private const string DeploymentName = "blue";
    private const string SampleBody = """{"data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}""";

    /// <summary>Unprivileged ports, and loopback only: quickstart is for this machine.</summary>
    private static readonly Dictionary<string, string?> QuickstartDefaults = new(StringComparer.OrdinalIgnoreCase)
    {
        [HttpsPort] = "8443",
        [HttpPort] = "8080",
        [ListenAddress] = "127.0.0.1",
    };

    public static Command Create()
    {
        var command = new Command("quickstart", "Run a development router with a sample model and print a curl line that scores through it.");
        var settings = SettingOptions.Only(HttpsPort, HttpPort, AdminUrl, StateDir);
        settings.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var commandLine = settings.Values(parse);
            var stateDir = ServeCommand.ReadSettings(commandLine, QuickstartDefaults)?.Settings.StateDir;
            if (stateDir is null)
            {
                return ExitCodes.BadConfiguration;
            }

            var devCa = DevCertificateAuthority.Ensure(StateFiles.DevCa(stateDir), TimeProvider.System);
            commandLine[SslCertPemFile] = devCa.Certificate.CertificatePath;
            commandLine[SslKeyPemFile] = devCa.Certificate.KeyPath;
            commandLine[SslKeyPassphraseFile] = devCa.Certificate.PassphrasePath;
            commandLine[SslCname] = "localhost";
            var read = ServeCommand.ReadSettings(commandLine, QuickstartDefaults);
            if (read is null)
            {
                return ExitCodes.BadConfiguration;
            }

            var started = await RouterHost.StartAsync(read, TimeProvider.System, cancellationToken);
            if (started.Host is not { } router)
            {
                ServeCommand.ReportStartFailure(started.Errors);
                return ExitCodes.BadConfiguration;
            }

            await using (router)
            await using (var model = SampleModelServer.Build("http://127.0.0.1:0"))
            {
                await model.StartAsync(cancellationToken);
                var modelUrl = model.Urls.First();
                var key = await EnsureEndpointAsync(router.Services.GetRequiredService<EndpointService>(), modelUrl, cancellationToken);
                if (key is null)
                {
                    return ExitCodes.Failed;
                }

                PrintInstructions(router.Services.GetRequiredService<ScoringUris>(), key, devCa.RootCertificatePath, read.Settings);
                await ServeCommand.WaitForShutdownAsync(cancellationToken);
                await router.StopAsync(CancellationToken.None);
                await model.StopAsync(CancellationToken.None);
            }

            Console.WriteLine("quickstart stopped.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Creates iris/blue on first run; later runs keep the keys and point blue at this run's model.</summary>
    /// <returns>The primary key, or null after printing why the endpoint could not be set up.</returns>
    private static async Task<string?> EnsureEndpointAsync(EndpointService endpoints, string modelUrl, CancellationToken cancellationToken)
    {
        var endpoint = await endpoints.GetEndpointAsync(EndpointName, cancellationToken);
        if (endpoint.Value is null)
        {
            endpoint = await endpoints.CreateEndpointAsync(EndpointName, "key", null, cancellationToken);
        }

        var deployment = await endpoints.GetDeploymentAsync(EndpointName, DeploymentName, cancellationToken);
        deployment = deployment.Value is null
            ? await endpoints.CreateDeploymentAsync(EndpointName, DeploymentName, [modelUrl], RequestSettings.Default, null, cancellationToken)
            : await endpoints.UpdateDeploymentAsync(EndpointName, DeploymentName, [modelUrl], null, null, cancellationToken);
        var traffic = await endpoints.UpdateTrafficAsync(EndpointName, new Dictionary<string, int> { [DeploymentName] = 100 }, cancellationToken);
        if ((endpoint.Error ?? deployment.Error ?? traffic.Error) is { } error)
        {
            await Console.Error.WriteLineAsync($"error: quickstart could not set up endpoint '{EndpointName}': {error.Message}");
            return null;
        }

        return traffic.Value!.PrimaryKey;
    }

    private static void PrintInstructions(ScoringUris uris, string key, string caPath, RouterSettings settings)
    {
        var scoringUri = uris.Score(EndpointName);
        Console.WriteLine($"""

            ScoreGate quickstart is running. Development certificate: trusted only by clients given its CA.

              Scoring URI   {scoringUri}
              Swagger       {uris.Swagger(EndpointName)}
              Primary key   {key}
              CA            {caPath}
              Admin API     {settings.AdminUrl} (state in {settings.StateDir})

            Score from another shell:

            curl --cacert '{caPath}' -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' -d '{SampleBody}' {scoringUri}

            Manage it from another shell: dotnet run --project src/ScoreGate -- endpoint show --name {EndpointName}
            Press Ctrl-C to stop.
            """);
    }
}
