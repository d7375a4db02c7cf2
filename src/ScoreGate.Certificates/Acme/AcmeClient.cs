using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ScoreGate.Certificates.Acme;

/// <summary>
/// The RFC 8555 protocol, one request per method: every POST is a JWS signed with the account
/// key and carries a fresh nonce; a <c>badNonce</c> answer is retried with the nonce it brought
/// (6.5); problem documents become <see cref="AcmeException"/>s that say what was refused and why.
/// </summary>
public sealed class AcmeClient(HttpClient http, Uri directoryUrl, AcmeAccountKey key)
{
    private const int BadNonceRetries = 3;

    private AcmeDirectory? _directory;
    private string? _nonce;

    public Uri DirectoryUrl { get; } = directoryUrl;

    public AcmeAccountKey Key { get; } = key;

    /// <summary>Known once <see cref="EnsureAccountAsync"/> has run; then used as the JWS <c>kid</c>.</summary>
    public Uri? AccountUrl { get; private set; }

    public async Task<AcmeDirectory> GetDirectoryAsync(CancellationToken cancellationToken)
    {
        if (_directory is not null)
        {
            return _directory;
        }

        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, DirectoryUrl), "the directory", cancellationToken);
        _directory = await ReadAsync<AcmeDirectory>(response, "the directory", cancellationToken);
        return _directory;
    }

    /// <summary>Creates the account, or finds the one this key already has (RFC 8555 7.3, 7.3.1).</summary>
    public async Task<Uri> EnsureAccountAsync(string? email, AcmeExternalAccount? externalAccount, CancellationToken cancellationToken)
    {
        var directory = await GetDirectoryAsync(cancellationToken);
        if (directory.Meta?.ExternalAccountRequired == true && externalAccount is null)
        {
            throw new AcmeException($"The ACME server {DirectoryUrl} requires external account binding: set acmeEabKeyId and acmeEabHmacKey to the values the CA gave you.");
        }

        var binding = externalAccount is null ? (JsonElement?)null : Key.ExternalAccountBinding(directory.NewAccount, externalAccount.KeyId, externalAccount.HmacKey);
        var payload = AcmeJson.Text(json =>
        {
            json.WriteStartObject();
            json.WriteBoolean("termsOfServiceAgreed", true);
            if (!string.IsNullOrWhiteSpace(email))
            {
                json.WriteStartArray("contact");
                json.WriteStringValue($"mailto:{email}");
                json.WriteEndArray();
            }

            if (binding is { } value)
            {
                json.WritePropertyName("externalAccountBinding");
                value.WriteTo(json);
            }

            json.WriteEndObject();
        });

        using var response = await PostAsync(directory.NewAccount, payload, "the account", cancellationToken);
        AccountUrl = response.Headers.Location ?? throw new AcmeException($"The ACME server {DirectoryUrl} created an account but did not say its URL (no Location header).");
        return AccountUrl;
    }

    /// <param name="names">The DNS names, wildcards included.</param>
    /// <param name="replaces">The ARI certificate id of the certificate this order renews (RFC 9773 5).</param>
    /// <param name="cancellationToken">Abandons the request.</param>
    public async Task<AcmeOrderHandle> NewOrderAsync(IReadOnlyList<string> names, string? replaces, CancellationToken cancellationToken)
    {
        var directory = await GetDirectoryAsync(cancellationToken);
        var payload = AcmeJson.Text(json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("identifiers");
            foreach (var identifier in names.Select(AcmeIdentifier.Dns))
            {
                json.WriteStartObject();
                json.WriteString("type", identifier.Type);
                json.WriteString("value", identifier.Value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (replaces is not null)
            {
                json.WriteString("replaces", replaces);
            }

            json.WriteEndObject();
        });

        using var response = await PostAsync(directory.NewOrder, payload, "a new order", cancellationToken);
        var order = await ReadAsync<AcmeOrder>(response, "the new order", cancellationToken);
        var url = response.Headers.Location ?? throw new AcmeException($"The ACME server {DirectoryUrl} created an order but did not say its URL (no Location header).");
        return new AcmeOrderHandle(url, order);
    }

    public Task<AcmeResponse<AcmeOrder>> GetOrderAsync(Uri url, CancellationToken cancellationToken) =>
        PostAsGetAsync<AcmeOrder>(url, "the order", cancellationToken);

    public Task<AcmeResponse<AcmeAuthorization>> GetAuthorizationAsync(Uri url, CancellationToken cancellationToken) =>
        PostAsGetAsync<AcmeAuthorization>(url, "an authorization", cancellationToken);

    /// <summary>Tells the server the challenge is ready to be validated (RFC 8555 7.5.1).</summary>
    public async Task AnswerChallengeAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(url, "{}", "a challenge answer", cancellationToken);
    }

    /// <summary>Sends the CSR (RFC 8555 7.4).</summary>
    public async Task<AcmeResponse<AcmeOrder>> FinalizeAsync(Uri finalizeUrl, byte[] csr, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(finalizeUrl, AcmeJson.Text(json =>
        {
            json.WriteStartObject();
            json.WriteString("csr", Base64Url.EncodeToString(csr));
            json.WriteEndObject();
        }), "the order's finalization", cancellationToken);
        return new(await ReadAsync<AcmeOrder>(response, "the finalized order", cancellationToken), RetryAfter(response));
    }

    /// <summary>The issued chain, leaf first, as PEM (RFC 8555 7.4.2).</summary>
    public async Task<string> DownloadCertificateAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(url, null, "the certificate", cancellationToken, "application/pem-certificate-chain");
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>The CA's suggested renewal window (RFC 9773 4), or null when it offers no ARI.</summary>
    public async Task<AcmeResponse<AcmeRenewalInfo>?> GetRenewalInfoAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var directory = await GetDirectoryAsync(cancellationToken);
        if (directory.RenewalInfo is null || AcmeCertificateId.Of(certificate) is not { } id)
        {
            return null;
        }

        var url = new Uri($"{directory.RenewalInfo.AbsoluteUri.TrimEnd('/')}/{id}");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), "renewal information", cancellationToken);
        return new(await ReadAsync<AcmeRenewalInfo>(response, "renewal information", cancellationToken), RetryAfter(response));
    }

    private async Task<AcmeResponse<T>> PostAsGetAsync<T>(Uri url, string what, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(url, null, what, cancellationToken);
        return new(await ReadAsync<T>(response, what, cancellationToken), RetryAfter(response));
    }

    private async Task<HttpResponseMessage> PostAsync(Uri url, string? payload, string what, CancellationToken cancellationToken, string? accept = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var nonce = await TakeNonceAsync(cancellationToken);
            var body = Key.Sign(url, nonce, payload, AccountUrl);
            var response = await SendRawAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
                if (accept is not null)
                {
                    request.Headers.Accept.ParseAdd(accept);
                }

                return request;
            }, what, cancellationToken);

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var problem = await ReadProblemAsync(response, cancellationToken);
                if (problem?.ShortType == "badNonce" && attempt < BadNonceRetries)
                {
                    continue; // the error response carried a fresh nonce (RFC 8555 6.5)
                }

                throw Refused(what, response, problem);
            }
        }
    }

    private async Task<string> TakeNonceAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _nonce, null) is { } nonce)
        {
            return nonce;
        }

        var directory = await GetDirectoryAsync(cancellationToken);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, directory.NewNonce), "a nonce", cancellationToken);
        return Interlocked.Exchange(ref _nonce, null) ?? throw new AcmeException($"The ACME server {DirectoryUrl} sent no Replay-Nonce header.");
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, string what, CancellationToken cancellationToken)
    {
        var response = await SendRawAsync(build, what, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw Refused(what, response, await ReadProblemAsync(response, cancellationToken));
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(Func<HttpRequestMessage> build, string what, CancellationToken cancellationToken)
    {
        using var request = build();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException error)
        {
            throw new AcmeException($"The ACME server {DirectoryUrl} cannot be reached while asking for {what}: {error.Message} Check acmeDirectory (and acmeCaBundle if the server uses a private CA).", error);
        }
        catch (TaskCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AcmeException($"The ACME server {DirectoryUrl} did not answer in time while asking for {what}.", error);
        }

        if (response.Headers.TryGetValues("Replay-Nonce", out var nonces))
        {
            _nonce = nonces.FirstOrDefault();
        }

        return response;
    }

    private AcmeException Refused(string what, HttpResponseMessage response, AcmeProblem? problem)
    {
        var reason = problem?.Describe() ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        return new AcmeException($"The ACME server {DirectoryUrl} refused {what}: {reason}", problem, RetryAfter(response));
    }

    private static async Task<AcmeProblem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(AcmeJson.Default.AcmeProblem, cancellationToken);
        }
        catch (Exception error) when (error is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync((JsonTypeInfo<T>)AcmeJson.Default.GetTypeInfo(typeof(T))!, cancellationToken)
                ?? throw new AcmeException($"The ACME server {DirectoryUrl} sent an empty answer for {what}.");
        }
        catch (Exception error) when (error is JsonException or NotSupportedException)
        {
            throw new AcmeException($"The ACME server {DirectoryUrl} sent {what} in a form that is not RFC 8555 JSON: {error.Message}", error);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - (response.Headers.Date ?? DateTimeOffset.UtcNow) : null;
    }
}

/// <summary>An order and the URL to poll it at.</summary>
public sealed record AcmeOrderHandle(Uri Url, AcmeOrder Order);

/// <summary>A resource and the server's <c>Retry-After</c>, when it sent one.</summary>
public sealed record AcmeResponse<T>(T Value, TimeSpan? RetryAfter);

/// <summary>External account binding credentials from the CA (RFC 8555 7.3.4).</summary>
public sealed record AcmeExternalAccount(string KeyId, string HmacKey)
{
    public override string ToString() => $"AcmeExternalAccount({KeyId})";
}

/// <summary>The ARI certificate identifier (RFC 9773 4.1): authority key id and serial, base64url.</summary>
public static class AcmeCertificateId
{
    public static string? Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var aki = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        if (aki is null)
        {
            return null;
        }

        // SerialNumberBytes is the DER INTEGER's content octets, big-endian, as RFC 9773 4.1 wants.
        return $"{Base64Url.EncodeToString(aki.Value.Span)}.{Base64Url.EncodeToString(certificate.SerialNumberBytes.Span)}";
    }
}
