using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ScoreGate.FunctionalTests.ModelContract;

/// <summary>
/// One real router over TLS for a contract test class, plus what every contract test does with
/// it: serve an endpoint whose one deployment points at a model's URL, score through HTTPS with
/// the endpoint's key (HttpClient or curl), and look at the answer. Subclasses add the model server.
/// </summary>
public abstract class ContractRouter : IAsyncLifetime
{
    /// <summary>The deployment every contract endpoint has.</summary>
    public const string Deployment = "model";

    private readonly TempDirectory _files = new();
    private int _endpoints;

    public TestCertificateAuthority Ca { get; } = TestCertificateAuthority.CreateRoot();

    public RouterProcess Router { get; private set; } = null!;

    public string CaPath => _files.File("ca.pem");

    /// <summary>A scratch directory for the test class (bodies to upload, curl output).</summary>
    public TempDirectory Files => _files;

    public async Task InitializeAsync()
    {
        using var leaf = Ca.Issue(["localhost", "127.0.0.1"]);
        var (certificate, key) = leaf.WriteTo(_files.Path);
        File.WriteAllText(CaPath, Ca.CertificatePem);
        await StartModelsAsync();
        Router = await RouterProcess.StartAsync(["--sslCertPemFile", certificate, "--sslKeyPemFile", key, "--sslCname", "localhost"]);
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await StopModelsAsync();
        Ca.Dispose();
        _files.Dispose();
    }

    protected abstract Task StartModelsAsync();

    protected abstract Task StopModelsAsync();

    /// <summary>
    /// A new endpoint (named from <paramref name="prefix"/>, unique in this router) whose deployment
    /// sends all traffic to <paramref name="modelUrl"/>; its request timeout is generous unless the
    /// test is about the timeout. Returns the endpoint's name and primary key.
    /// </summary>
    public async Task<ScoredEndpoint> ServeAsync(string prefix, string modelUrl, int requestTimeoutMs = 60_000)
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _endpoints)}";
        var (key, _) = await Router.CreateServedEndpointAsync(name, $"{Deployment}=100", (Deployment, modelUrl));
        await Router.SetRequestSettingsAsync(name, Deployment, requestTimeoutMs, concurrent: 4, queueWaitMs: 30_000);
        return new ScoredEndpoint(name, key);
    }

    public HttpClient CreateClient() => Router.CreateHttpsClient(Ca.Certificate);

    /// <summary>A scoring request with the endpoint's key; <paramref name="query"/> without its '?'.</summary>
    public static HttpRequestMessage Score(ScoredEndpoint endpoint, HttpContent? content, string? query = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/service/{endpoint.Name}/score{(query is null ? "" : "?" + query)}")
        {
            Content = content ?? new StringContent("""{"data": [[1, 2, 3]]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.Key);
        return request;
    }

    /// <summary>Scores and reads the whole answer.</summary>
    public async Task<(HttpResponseMessage Response, byte[] Body)> ScoreAsync(HttpClient client, ScoredEndpoint endpoint, HttpContent? content = null, string? query = null)
    {
        using var request = Score(endpoint, content, query);
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>
    /// Scores with curl over TLS (trusting only the test CA): the exit code, the HTTP status
    /// (0 when none arrived) and the body file's bytes.
    /// </summary>
    public async Task<CurlResult> CurlAsync(ScoredEndpoint endpoint, string query, params string[] arguments)
    {
        var output = _files.File($"curl-{Guid.NewGuid():N}.out");
        var run = await ProcessRun.RunAsync("curl",
        [
            "-sS", "--max-time", "120", "--cacert", CaPath,
            "--resolve", $"localhost:{Router.HttpsPort}:127.0.0.1",
            "-H", $"Authorization: Bearer {endpoint.Key}",
            "-o", output, "-w", "%{http_code}",
            .. arguments,
            $"https://localhost:{Router.HttpsPort}/api/v1/service/{endpoint.Name}/score?{query}",
        ], TimeSpan.FromSeconds(150));
        var body = File.Exists(output) ? await File.ReadAllBytesAsync(output) : [];
        var status = int.TryParse(run.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 0;
        return new CurlResult(run.ExitCode, status, body, run.StandardError);
    }

    /// <summary>
    /// Sends <paramref name="request"/> (Latin-1, so any byte) over TLS and returns every byte the
    /// router sends until it closes (send <c>Connection: close</c>), as Latin-1 text, unparsed.
    /// </summary>
    public async Task<string> ExchangeRawAsync(string request)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Router.HttpsPort);
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => LocalhostTrust.ChainsTo(certificate, Ca.Certificate),
            ApplicationProtocols = [System.Net.Security.SslApplicationProtocol.Http11],
        });
        await tls.WriteAsync(Encoding.Latin1.GetBytes(request));
        await tls.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await tls.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (received.Length > 0)
        {
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }

    /// <summary>A file of <paramref name="bytes"/> pseudo-random bytes (fixed seed) in the scratch directory.</summary>
    public string WriteRandomFile(string name, int bytes, int seed = 7)
    {
        var path = _files.File(name);
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, RandomBytes(bytes, seed));
        }

        return path;
    }

    public static byte[] RandomBytes(int bytes, int seed = 7)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static async Task<string> MessageAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("message").GetString()!;
    }

    public static string Text(byte[] body) => Encoding.UTF8.GetString(body);

    /// <summary>Bounds a wait that is the subject of a test, so a hang fails instead of blocking the run.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, TimeSpan bound, string what)
    {
        var clock = Stopwatch.StartNew();
        var finished = await Task.WhenAny(task, Task.Delay(bound));
        return finished == task ? await task : throw new TimeoutException($"{what} did not finish within {bound} (waited {clock.Elapsed}).");
    }
}

/// <summary>An endpoint served by a contract router: its name and primary key.</summary>
public sealed record ScoredEndpoint(string Name, string Key);

/// <summary>What curl did: its exit code (0 is a complete transfer), the status it saw, the body it wrote.</summary>
public sealed record CurlResult(int ExitCode, int Status, byte[] Body, string Errors)
{
    public HttpStatusCode StatusCode => (HttpStatusCode)Status;
}
