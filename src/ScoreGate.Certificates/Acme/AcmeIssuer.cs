using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Certificates.Acme;

/// <summary>
/// One certificate, start to finish (RFC 8555 7.4): account, order, one challenge per
/// authorization, finalize with a fresh key, download. Polls quickly at first (the CA is often
/// done in milliseconds) and backs off; <c>Retry-After</c> wins when the server sends it.
/// </summary>
public sealed class AcmeIssuer(AcmeClient client, IEnumerable<IAcmeChallengeResponder> responders, TimeProvider time)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromMinutes(1);

    // A validation that has not finished in this time is stuck; the renewal schedule retries it.
    private static readonly TimeSpan PollDeadline = TimeSpan.FromMinutes(2);

    private readonly Dictionary<AcmeChallengeKind, IAcmeChallengeResponder> _responders = responders.ToDictionary(r => r.Kind);

    public AcmeClient Client { get; } = client;

    public async Task<IssuedCertificate> IssueAsync(AcmeIssueRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_responders.ContainsKey(request.Challenge))
        {
            throw new AcmeException($"Challenge type '{request.Challenge.ToRfcName()}' cannot be answered here; use one of: {string.Join(", ", _responders.Keys.Select(k => k.ToRfcName()))}.");
        }

        if (Client.AccountUrl is null)
        {
            await Client.EnsureAccountAsync(request.Email, request.ExternalAccount, cancellationToken);
        }

        var order = await Client.NewOrderAsync(request.Names, request.Replaces, cancellationToken);
        foreach (var authorizationUrl in order.Order.Authorizations)
        {
            await AuthorizeAsync(authorizationUrl, request.Challenge, cancellationToken);
        }

        var ready = await PollAsync(ct => Client.GetOrderAsync(order.Url, ct), o => o.Status is not (AcmeOrderStatus.Pending or AcmeOrderStatus.Processing), "the order", cancellationToken);
        if (ready.Status is not (AcmeOrderStatus.Ready or AcmeOrderStatus.Valid))
        {
            throw new AcmeException($"The ACME server {Client.DirectoryUrl} made the order for {string.Join(", ", request.Names)} {Spelt(ready.Status)}: {ready.Error?.Describe() ?? "no reason given"}", ready.Error, null);
        }

        using var key = CertificateSigningRequests.CreateKey(request.KeyType);
        // An RSA key is generated when first used, which can take a few hundred milliseconds: on
        // the thread pool, not on the socket event thread the last await may have resumed on.
        var finalized = ready.Status == AcmeOrderStatus.Valid ? ready
            : (await Client.FinalizeAsync(ready.Finalize, await Task.Run(() => CertificateSigningRequests.Create(key, request.Names), cancellationToken), cancellationToken)).Value;
        if (finalized.Status != AcmeOrderStatus.Valid)
        {
            finalized = await PollAsync(ct => Client.GetOrderAsync(order.Url, ct), o => o.Status is not (AcmeOrderStatus.Processing or AcmeOrderStatus.Ready), "the finalized order", cancellationToken);
        }

        if (finalized is not { Status: AcmeOrderStatus.Valid, Certificate: { } certificateUrl })
        {
            throw new AcmeException($"The ACME server {Client.DirectoryUrl} did not issue the certificate for {string.Join(", ", request.Names)} (order {Spelt(finalized.Status)}): {finalized.Error?.Describe() ?? "no reason given"}", finalized.Error, null);
        }

        var chain = await Client.DownloadCertificateAsync(certificateUrl, cancellationToken);
        return IssuedCertificate.From(chain, ExportKey(key), order.Url);
    }

    private async Task AuthorizeAsync(Uri url, AcmeChallengeKind kind, CancellationToken cancellationToken)
    {
        var challengeType = kind.ToRfcName();
        var authorization = (await Client.GetAuthorizationAsync(url, cancellationToken)).Value;
        if (authorization.Status == AcmeAuthorizationStatus.Valid)
        {
            return; // the CA still trusts an earlier validation (RFC 8555 7.1.4)
        }

        var name = authorization.Identifier.Value;
        var challenge = authorization.Challenges.FirstOrDefault(c => c.Kind == kind)
            ?? throw new AcmeException(authorization.Wildcard && kind != AcmeChallengeKind.Dns01
                ? $"'*.{name}' is a wildcard name: ACME validates those only with dns-01. Set the challenge type to dns-01 (and dnsServer so ScoreGate can publish the TXT record)."
                : $"The ACME server {Client.DirectoryUrl} does not offer {challengeType} for '{name}'; it offers {string.Join(", ", authorization.Challenges.Select(c => c.Type))}.");
        var responder = _responders[kind];
        var token = challenge.Token ?? throw new AcmeException($"The ACME server {Client.DirectoryUrl} sent a {challengeType} challenge for '{name}' without a token.");
        var keyAuthorization = Client.Key.KeyAuthorization(token);
        try
        {
            if (await responder.PresentAsync(name, token, keyAuthorization, cancellationToken) is { } problem)
            {
                throw new AcmeException($"The {challengeType} answer for '{name}' could not be put in place: {problem}");
            }

            await Client.AnswerChallengeAsync(challenge.Url, cancellationToken);
            var done = await PollAsync(ct => Client.GetAuthorizationAsync(url, ct), a => a.Status != AcmeAuthorizationStatus.Pending, $"the authorization of '{name}'", cancellationToken);
            if (done.Status != AcmeAuthorizationStatus.Valid)
            {
                var failed = done.Challenges.FirstOrDefault(c => c.Kind == kind)?.Error;
                throw new AcmeException($"The ACME server {Client.DirectoryUrl} could not validate '{name}' with {challengeType}: {failed?.Describe() ?? $"authorization {Spelt(done.Status)}"}", failed, null);
            }
        }
        finally
        {
            await responder.CleanupAsync(name, token, keyAuthorization, CancellationToken.None);
        }
    }

    private async Task<T> PollAsync<T>(Func<CancellationToken, Task<AcmeResponse<T>>> get, Func<T, bool> done, string what, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + PollDeadline;
        var delay = FirstPoll;
        while (true)
        {
            var response = await get(cancellationToken);
            if (done(response.Value))
            {
                return response.Value;
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new AcmeException($"The ACME server {Client.DirectoryUrl} has not finished {what} after {PollDeadline.TotalMinutes:0} minutes; it will be tried again.");
            }

            var wait = response.RetryAfter is { } asked && asked > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(asked.Ticks, LongestRetryAfter.Ticks)) : delay;
            await Task.Delay(wait, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestPoll.Ticks));
        }
    }

    private static string ExportKey(AsymmetricAlgorithm key) => key.ExportPkcs8PrivateKeyPem();

    /// <summary>A status as RFC 8555 spells it (all are one lower-case word), for messages.</summary>
    private static string Spelt<TStatus>(TStatus status)
        where TStatus : struct, Enum => status.ToString().ToLowerInvariant();
}

/// <summary>What to issue, and how to prove control of the names.</summary>
public sealed record AcmeIssueRequest(
    IReadOnlyList<string> Names,
    AcmeChallengeKind Challenge,
    CertificateKeyType KeyType = CertificateKeyType.EcdsaP256,
    string? Email = null,
    AcmeExternalAccount? ExternalAccount = null,
    string? Replaces = null);

/// <summary>An issued certificate: the chain as PEM (leaf first), its private key as PKCS#8 PEM, and the leaf's facts.</summary>
public sealed record IssuedCertificate(string ChainPem, string KeyPem, string SerialNumber, DateTimeOffset NotBefore, DateTimeOffset NotAfter, Uri OrderUrl)
{
    public static IssuedCertificate From(string chainPem, string keyPem, Uri orderUrl)
    {
        using var leaf = X509Certificate2.CreateFromPem(chainPem);
        return new IssuedCertificate(chainPem, keyPem, leaf.SerialNumber, leaf.NotBefore.ToUniversalTime(), leaf.NotAfter.ToUniversalTime(), orderUrl);
    }

    public override string ToString() => $"IssuedCertificate({SerialNumber}, {NotBefore:u} to {NotAfter:u})";
}
