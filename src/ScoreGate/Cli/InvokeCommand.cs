using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using ScoreGate.Certificates.DevCa;
using ScoreGate.ControlPlane.Secrets;
using static ScoreGate.Cli.ClientCommand;

namespace ScoreGate.Cli;

/// <summary>
/// <c>scoregate endpoint invoke --name N --request-file F [--deployment-name D]</c>, as
/// <c>az ml online-endpoint invoke</c>: asks the admin API for the endpoint's scoring URI and a
/// credential (a key, a token, or none), then POSTs the file to the scoring URI over HTTPS and
/// prints the model's answer.
/// </summary>
/// <remarks>
/// Trust: the system's CA store, and besides it the router's development CA
/// (<c>stateDir/dev-ca/ca.pem</c>, made by quickstart) when there is one. Validation is never
/// turned off: the certificate must chain to one of them and name the scoring URI's host.
/// Addressing: the admin API is loopback only, so the router runs on this machine. The scoring
/// URI's host is resolved as usual; when it does not resolve here (a public name whose DNS record
/// points elsewhere or does not exist yet), the connection goes to the admin URL's loopback
/// address at the scoring URI's port instead, and the name is kept for SNI and the Host header,
/// as <c>curl --resolve</c> would.
/// </remarks>
public static class InvokeCommand
{
    /// <summary>A model has up to 300 s to answer, after up to 300 s in the queue (request_settings' bounds).</summary>
    private static readonly TimeSpan ScoringTimeout = TimeSpan.FromMinutes(11);

    public static Command Create()
    {
        var name = Required("--name", "Endpoint name.", "-n");
        var requestFile = Required("--request-file", "File whose bytes are the request body; sent as application/json when it is JSON, else as application/octet-stream.", "-r");
        var deployment = new Option<string>("--deployment-name", "-d") { Description = "Send the request to this deployment, whatever the traffic split (header azureml-model-deployment)." };
        return CreateSteps("invoke",
            "Score a request file through the endpoint's scoring URI, over HTTPS, with its key or token; prints the model's answer. " +
            "Trusts the system CA store and the router's development CA (stateDir/dev-ca/ca.pem) if there is one. " +
            "A scoring URI host that does not resolve here is reached at the router on this machine (the admin URL's address), keeping the name for TLS and Host.",
            [name, requestFile, deployment],
            p =>
            {
                var path = p.GetValue(requestFile)!;
                byte[] body;
                try
                {
                    body = File.ReadAllBytes(path);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    Console.Error.WriteLine($"error: --request-file {path} cannot be read: {error.Message} Give the file with the request body, such as sample-request.json.");
                    return null;
                }

                return (client, cancellationToken) => InvokeAsync(client, p.GetValue(name)!, body, p.GetValue(deployment), cancellationToken);
            });
    }

    private static async Task<int> InvokeAsync(AdminClient admin, string endpointName, byte[] body, string? deployment, CancellationToken cancellationToken)
    {
        var show = new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(endpointName)}");
        if (await AdminJsonAsync(admin, show, cancellationToken) is not { } endpoint)
        {
            return ExitCodes.Failed;
        }

        var scoringUri = new Uri(endpoint.GetProperty("scoringUri").GetString()!);
        var authMode = endpoint.GetProperty("authMode").GetString();
        string? credential = null;
        if (authMode != "none")
        {
            var credentials = new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(endpointName)}/credentials");
            if (await AdminJsonAsync(admin, credentials, cancellationToken) is not { } given)
            {
                return ExitCodes.Failed;
            }

            credential = (given.TryGetProperty("accessToken", out var token) ? token : given.GetProperty("primaryKey")).GetString();
        }

        using var http = CreateScoringClient(admin);
        using var request = new HttpRequestMessage(HttpMethod.Post, scoringUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(IsJson(body) ? "application/json" : "application/octet-stream");
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        if (deployment is not null)
        {
            request.Headers.Add("azureml-model-deployment", deployment);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException error)
        {
            await Console.Error.WriteLineAsync($"error: scoring at {scoringUri} failed: {Describe(error)}");
            return ExitCodes.Failed;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"error: {scoringUri} did not answer within {ScoringTimeout.TotalMinutes} minutes.");
            return ExitCodes.Failed;
        }

        using (response)
        {
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(answer, cancellationToken);
                if (answer.Length > 0 && answer[^1] != (byte)'\n' && IsText(response))
                {
                    await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
                }

                return ExitCodes.Success;
            }

            var text = Encoding.UTF8.GetString(answer);
            var message = MessageOf(text) ?? (text.Length > 2000 ? text[..2000] + "..." : text);
            var answeredBy = response.Headers.TryGetValues("azureml-model-deployment", out var by) ? $" (deployment {string.Join(",", by)})" : string.Empty;
            await Console.Error.WriteLineAsync($"error: {scoringUri} answered {(int)response.StatusCode} {response.ReasonPhrase}{answeredBy}: {message}");
            return ExitCodes.Failed;
        }
    }

    /// <returns>The answer's JSON, or null after printing the refusal.</returns>
    private static async Task<JsonElement?> AdminJsonAsync(AdminClient admin, AdminRequest call, CancellationToken cancellationToken)
    {
        if (await admin.CallAsync(call, cancellationToken) is not { } answer)
        {
            return null;
        }

        if (!answer.Succeeded)
        {
            await Console.Error.WriteLineAsync($"error: {AdminClient.Describe(call, answer)}");
            return null;
        }

        using var json = JsonDocument.Parse(answer.Text);
        return json.RootElement.Clone();
    }

    internal static HttpClient CreateScoringClient(AdminClient admin)
    {
        var devCa = LoadDevCa(DevCertificateFiles.In(StateFiles.DevCa(admin.StateDir)).RootCertificatePath);
        var routerAddresses = RouterAddresses(admin.AdminUrl);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, routerAddresses, cancellationToken),
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Trusted(certificate, chain, errors, devCa) },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = ScoringTimeout };
    }

    /// <summary>
    /// Accepted when the system trusts it, or when the only complaint is the chain and it chains
    /// to the router's development CA. A name mismatch is never accepted.
    /// </summary>
    internal static bool Trusted(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2? devCa)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || devCa is null || certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(devCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static X509Certificate2? LoadDevCa(string path)
    {
        try
        {
            return File.Exists(path) ? X509Certificate2.CreateFromPem(File.ReadAllText(path)) : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException)
        {
            Console.Error.WriteLine($"note: the development CA {path} cannot be read ({error.Message}); only the system's CAs are trusted.");
            return null;
        }
    }

    /// <summary>The router's own addresses on this machine: the admin URL's (loopback), then the other loopback.</summary>
    private static IPAddress[] RouterAddresses(Uri adminUrl)
    {
        var addresses = IPAddress.TryParse(adminUrl.DnsSafeHost, out var literal) ? [literal] : new List<IPAddress>();
        addresses.AddRange([IPAddress.Loopback, IPAddress.IPv6Loopback]);
        return [.. addresses.Distinct()];
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, IPAddress[] routerAddresses, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await System.Net.Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        }
        catch (SocketException)
        {
            addresses = [];
        }

        var fallback = addresses.Length == 0;
        if (fallback)
        {
            addresses = routerAddresses;
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException error)
            {
                socket.Dispose();
                last = error;
            }
        }

        throw new HttpRequestException(fallback
            ? $"{endPoint.Host} does not resolve here, and the router is not listening on this machine's loopback port {endPoint.Port} ({last?.Message}). Add the name to DNS or /etc/hosts, or set listenAddress to include loopback."
            : $"cannot connect to {endPoint.Host}:{endPoint.Port} ({last?.Message}).", last);
    }

    private static string Describe(HttpRequestException error)
    {
        if (error.InnerException is System.Security.Authentication.AuthenticationException)
        {
            return "its certificate is not trusted here (it must chain to a CA in the system store, or to the router's development CA in stateDir/dev-ca, and name the host). " +
                $"({error.InnerException.Message})";
        }

        return error.Message;
    }

    private static bool IsJson(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
            }

            return body.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsText(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } type && (type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || type.Contains("json", StringComparison.OrdinalIgnoreCase));

    private static string? MessageOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
