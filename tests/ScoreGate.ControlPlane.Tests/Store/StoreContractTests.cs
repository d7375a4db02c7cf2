using System.Security.Cryptography;
using ScoreGate.ControlPlane.Secrets;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Tests.Store;

/// <summary>
/// What <see cref="IScoreGateStore"/> promises, checked on each engine (SQLite and PostgreSQL):
/// the same statements and migrations must behave the same on both.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    private readonly List<SqlStore> _opened = [];

    protected SecretProtector Secrets { get; } = new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Opens this test's store (again, on later calls: a second router, or a restart).</summary>
    protected async Task<SqlStore> OpenAsync(SecretProtector? secrets = null)
    {
        var store = await OpenStoreAsync(secrets ?? Secrets);
        _opened.Add(store);
        return store;
    }

    protected abstract Task<SqlStore> OpenStoreAsync(SecretProtector secrets);

    /// <summary>Everything the engine keeps, as text: where a plaintext secret must not appear.</summary>
    protected abstract Task<string> StoredTextAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Open_Twice_AppliesEveryMigrationOnce()
    {
        var store = await OpenAsync();
        var reopened = await OpenAsync();

        Assert.Equal(StoreMigrations.All.Max(m => m.Version), await store.GetSchemaVersionAsync());
        Assert.Equal(StoreMigrations.All.Max(m => m.Version), await reopened.GetSchemaVersionAsync());
    }

    [Fact]
    public async Task Open_WithAnotherMasterKey_IsRefusedWithTheFix()
    {
        await OpenAsync();

        var error = await Assert.ThrowsAsync<StoreException>(() => OpenAsync(new SecretProtector(RandomNumberGenerator.GetBytes(32))));

        Assert.Contains("encrypted with another master key", error.Message);
        Assert.Contains("masterKeyFile", error.Message);
    }

    [Fact]
    public async Task TryLock_IsExclusiveAcrossRouters_UntilReleased()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();

        var held = await first.TryLockAsync("managed-certificate/IRIS");
        Assert.NotNull(held);
        Assert.Null(await second.TryLockAsync("managed-certificate/IRIS"));
        await using (var other = await second.TryLockAsync("managed-certificate/OTHER"))
        {
            Assert.NotNull(other);
        }

        await held.DisposeAsync();
        await using var again = await second.TryLockAsync("managed-certificate/IRIS");
        Assert.NotNull(again);
    }

    [Fact]
    public async Task ChallengeAnswers_SavedThroughOneRouter_AreFoundThroughAnother_WithoutChangingTheRevision()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        var revision = await first.GetRevisionAsync();

        await first.SaveChallengeAnswerAsync("http-01", "Token_AbC", "Token_AbC.thumb", default);
        await first.SaveChallengeAnswerAsync("http-01", "Token_AbC", "Token_AbC.thumb2", default);

        Assert.Equal("Token_AbC.thumb2", await second.FindChallengeAnswerAsync("http-01", "Token_AbC", default));
        Assert.Null(await second.FindChallengeAnswerAsync("http-01", "token_abc", default));
        Assert.Null(await second.FindChallengeAnswerAsync("tls-alpn-01", "Token_AbC", default));
        Assert.Equal(revision, await second.GetRevisionAsync());

        await second.DeleteChallengeAnswerAsync("http-01", "Token_AbC", default);
        Assert.Null(await first.FindChallengeAnswerAsync("http-01", "Token_AbC", default));
    }

    [Fact]
    public async Task Writes_BumpTheRevision_AndReadsIgnoreNameCase()
    {
        var store = await OpenAsync();
        var revision = await store.GetRevisionAsync();

        Assert.True(await store.InsertEndpointAsync(Endpoint("Iris")));
        Assert.False(await store.InsertEndpointAsync(Endpoint("IRIS")));
        Assert.Equal(WriteOutcome.Written, await store.InsertDeploymentAsync(Deployment("iris", "blue")));

        Assert.Equal(revision + 2, await store.GetRevisionAsync());
        Assert.Equal("Iris", (await store.FindEndpointAsync("iris"))!.Name);
        Assert.Equal(["http://127.0.0.1:1"], (await store.FindDeploymentAsync("IRIS", "BLUE"))!.Urls);
    }

    [Fact]
    public async Task UpdateEndpoint_FromAStaleRead_IsAConflict_AndWritesNothing()
    {
        var store = await OpenAsync();
        await store.InsertEndpointAsync(Endpoint("iris"));
        var read = (await store.FindEndpointAsync("iris"))!;
        Assert.Equal(WriteOutcome.Written, await store.UpdateEndpointAsync(read with { PrimaryKey = "rotated" }));
        var revision = await store.GetRevisionAsync();

        var stale = await store.UpdateEndpointAsync(read with { Details = read.Details with { Description = "from the same read" } });

        Assert.Equal(WriteOutcome.Conflict, stale);
        var stored = (await store.FindEndpointAsync("iris"))!;
        Assert.Equal("rotated", stored.PrimaryKey);
        Assert.Null(stored.Details.Description);
        Assert.Equal(read.Version + 1, stored.Version);
        Assert.Equal(revision, await store.GetRevisionAsync());
        Assert.Equal(WriteOutcome.NotFound, await store.UpdateEndpointAsync(read with { Name = "absent" }));
    }

    [Fact]
    public async Task DeleteDeployment_AfterATrafficChange_IsAConflict_AndKeepsTheDeployment()
    {
        var store = await OpenAsync();
        await store.InsertEndpointAsync(Endpoint("iris"));
        await store.InsertDeploymentAsync(Deployment("iris", "blue"));
        var read = (await store.FindEndpointAsync("iris"))!;
        Assert.Equal(WriteOutcome.Written, await store.UpdateEndpointAsync(read with { Traffic = new Dictionary<string, int> { ["blue"] = 100 } }));

        var outcome = await store.DeleteDeploymentAsync(read with { Traffic = new Dictionary<string, int>() }, "blue");

        Assert.Equal(WriteOutcome.Conflict, outcome);
        Assert.NotNull(await store.FindDeploymentAsync("iris", "blue"));
        Assert.Equal(100, (await store.FindEndpointAsync("iris"))!.Traffic["blue"]);
    }

    [Fact]
    public async Task DeleteDeployment_WritesTheEndpointAndDeletes_InOneRevision()
    {
        var store = await OpenAsync();
        await store.InsertEndpointAsync(Endpoint("iris"));
        await store.InsertDeploymentAsync(Deployment("iris", "blue"));
        var read = (await store.FindEndpointAsync("iris"))!;
        var revision = await store.GetRevisionAsync();

        Assert.Equal(WriteOutcome.Written, await store.DeleteDeploymentAsync(read with { Traffic = new Dictionary<string, int>() }, "blue"));
        Assert.Equal(WriteOutcome.NotFound, await store.DeleteDeploymentAsync((await store.FindEndpointAsync("iris"))!, "blue"));

        Assert.Null(await store.FindDeploymentAsync("iris", "blue"));
        Assert.Empty((await store.FindEndpointAsync("iris"))!.Traffic);
        Assert.Equal(revision + 1, await store.GetRevisionAsync());
    }

    [Fact]
    public async Task InsertDeployment_ForAMissingEndpoint_IsNotFound_AndADuplicateIsAConflict()
    {
        var store = await OpenAsync();
        await store.InsertEndpointAsync(Endpoint("iris"));

        Assert.Equal(WriteOutcome.NotFound, await store.InsertDeploymentAsync(Deployment("absent", "blue")));
        Assert.Equal(WriteOutcome.Written, await store.InsertDeploymentAsync(Deployment("iris", "blue")));
        Assert.Equal(WriteOutcome.Conflict, await store.InsertDeploymentAsync(Deployment("IRIS", "Blue")));
        Assert.Empty(await store.ListDeploymentsAsync("absent"));
    }

    [Fact]
    public async Task UpdateDeployment_FromAStaleRead_IsAConflict()
    {
        var store = await OpenAsync();
        await store.InsertEndpointAsync(Endpoint("iris"));
        await store.InsertDeploymentAsync(Deployment("iris", "blue"));
        var read = (await store.FindDeploymentAsync("iris", "blue"))!;
        Assert.Equal(WriteOutcome.Written, await store.UpdateDeploymentAsync(read with { Urls = ["http://127.0.0.1:2"] }));

        Assert.Equal(WriteOutcome.Conflict, await store.UpdateDeploymentAsync(read with { Urls = ["http://127.0.0.1:3"] }));
        Assert.Equal(["http://127.0.0.1:2"], (await store.FindDeploymentAsync("iris", "blue"))!.Urls);
    }

    [Fact]
    public async Task Keys_AreStoredEncrypted_AndReadBackInPlain()
    {
        var store = await OpenAsync();
        await store.InsertEndpointAsync(Endpoint("iris"));

        var onDisk = await StoredTextAsync();
        var read = (await store.FindEndpointAsync("iris"))!;

        Assert.DoesNotContain("primary-plaintext", onDisk);
        Assert.DoesNotContain("secondary-plaintext", onDisk);
        Assert.Equal("primary-plaintext", read.PrimaryKey);
        Assert.Equal("secondary-plaintext", read.SecondaryKey);
        Assert.Equal(90, read.Traffic["blue"]);
    }

    [Fact]
    public async Task DeleteEndpoint_RemovesItsDeploymentsToo()
    {
        var store = await OpenAsync();
        await store.InsertEndpointAsync(Endpoint("iris"));
        await store.InsertDeploymentAsync(Deployment("iris", "blue"));

        Assert.True(await store.DeleteEndpointAsync("iris"));
        Assert.False(await store.DeleteEndpointAsync("iris"));
        Assert.Empty(await store.ListDeploymentsAsync(null));
    }

    [Fact]
    public async Task TlsBinding_RoundTrips_WithKeyAndPassphraseEncrypted_AndGoesWithItsEndpoint()
    {
        var store = await OpenAsync();
        await store.InsertEndpointAsync(Endpoint("iris"));
        var binding = new TlsBindingRecord("iris", "iris.contoso.test", TlsSourceKind.Content, null, null, null, null,
            "-----BEGIN CERTIFICATE-----cert-text", "-----BEGIN PRIVATE KEY-----key-plaintext", "passphrase-plaintext", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        await store.SaveTlsBindingAsync(binding);
        await store.SaveTlsBindingAsync(binding with { HostName = "iris2.contoso.test" });

        var read = (await store.FindTlsBindingAsync("IRIS"))!;
        var onDisk = await StoredTextAsync();
        Assert.Equal("iris2.contoso.test", read.HostName);
        Assert.Equal("-----BEGIN PRIVATE KEY-----key-plaintext", read.KeyPem);
        Assert.Equal("passphrase-plaintext", read.Passphrase);
        Assert.DoesNotContain("key-plaintext", onDisk);
        Assert.DoesNotContain("passphrase-plaintext", onDisk);
        Assert.Equal("TlsBindingRecord(iris, Content, iris2.contoso.test)", read.ToString());

        await store.DeleteEndpointAsync("iris");
        Assert.Empty(await store.ListTlsBindingsAsync());
    }

    [Fact]
    public async Task TlsBinding_ClientCertificateFields_RoundTripAndClearOnOverwrite()
    {
        var store = await OpenAsync();
        await store.InsertEndpointAsync(Endpoint("mtls"));
        var binding = new TlsBindingRecord("mtls", "mtls.contoso.test", TlsSourceKind.Pem, "/etc/c.pem", "/etc/k.pem", null, null, null, null, null,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "/etc/clients-ca.pem", "/etc/clients.crl", "optional");

        await store.SaveTlsBindingAsync(binding);
        var read = (await store.FindTlsBindingAsync("mtls"))!;
        await store.SaveTlsBindingAsync(binding with { ClientCaPath = null, ClientCrlPath = null, ClientCertificateMode = null });
        var cleared = (await store.FindTlsBindingAsync("mtls"))!;

        Assert.Equal(("/etc/clients-ca.pem", "/etc/clients.crl", "optional"), (read.ClientCaPath, read.ClientCrlPath, read.ClientCertificateMode));
        Assert.Equal((null, null, null), (cleared.ClientCaPath, cleared.ClientCrlPath, cleared.ClientCertificateMode));
    }

    [Fact]
    public async Task ManagedRenewalState_SavedWithoutARevisionChange_AndWithoutTouchingWhatIsServed()
    {
        var store = await OpenAsync();
        var now = new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero);
        var record = new ManagedCertificateRecord("iris", "iris", "irisab12cd.local.endpoints.test", "http-01", now, now)
        {
            CertificatePem = "-----BEGIN CERTIFICATE-----cert-text",
            KeyPem = "-----BEGIN PRIVATE KEY-----managed-key-plaintext",
            SerialNumber = "0A",
        };
        await store.SaveManagedCertificateAsync(record);
        var revision = await store.GetRevisionAsync();
        var failed = record with
        {
            CertificatePem = "ignored",
            HostName = "ignored.local.endpoints.test",
            Attempts = 3,
            LastError = "The ACME server refused...",
            LastAttemptAt = now.AddMinutes(1),
            NextAttemptAt = now.AddMinutes(5),
            RenewRequested = true,
            UpdatedAt = now.AddMinutes(1),
        };

        Assert.True(await store.SaveManagedRenewalStateAsync(failed));
        Assert.False(await store.SaveManagedRenewalStateAsync(failed with { Scope = "other" }));

        Assert.Equal(revision, await store.GetRevisionAsync());
        Assert.Equal(failed with { CertificatePem = record.CertificatePem, HostName = record.HostName }, await store.FindManagedCertificateAsync("iris"));
        Assert.Null(await store.FindManagedCertificateAsync("other"));
    }

    [Fact]
    public async Task ChallengeAnswers_ListedByType_FromAnotherRouter()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        await first.SaveChallengeAnswerAsync("http-01", "Token_AbC", "Token_AbC.thumb", default);
        await first.SaveChallengeAnswerAsync("http-01", "Token_XyZ", "Token_XyZ.thumb", default);
        await first.SaveChallengeAnswerAsync("tls-alpn-01", "iris.endpoints.test", "tok.thumb", default);

        var answers = await second.ListChallengeAnswersAsync("http-01", default);

        Assert.Equal(new Dictionary<string, string> { ["Token_AbC"] = "Token_AbC.thumb", ["Token_XyZ"] = "Token_XyZ.thumb" }, answers);
        Assert.Empty(await second.ListChallengeAnswersAsync("dns-01", default));
    }

    [Fact]
    public async Task ManagedCertificate_RoundTripsWithKeyEncrypted_AndGoesWithItsEndpoint()
    {
        var store = await OpenAsync();
        await store.InsertEndpointAsync(Endpoint("iris"));
        var now = new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero);
        var record = new ManagedCertificateRecord("iris", "iris", "irisab12cd.local.endpoints.test", "http-01", now, now)
        {
            CertificatePem = "-----BEGIN CERTIFICATE-----cert-text",
            KeyPem = "-----BEGIN PRIVATE KEY-----managed-key-plaintext",
            SerialNumber = "0A",
            NotBefore = now,
            NotAfter = now.AddDays(90),
            NextAttemptAt = now.AddDays(60),
            Attempts = 2,
            LastError = "The ACME server refused...",
            RenewRequested = true,
        };
        var revision = await store.GetRevisionAsync();

        await store.SaveManagedCertificateAsync(record);
        await store.SaveAcmeAccountAsync(new AcmeAccountRecord("https://ca.test/dir", "-----BEGIN PRIVATE KEY-----account-key-plaintext", "https://ca.test/acct/1", now));

        var read = (await store.FindManagedCertificateAsync("IRIS"))!;
        var account = (await store.FindAcmeAccountAsync("https://ca.test/dir"))!;
        var onDisk = await StoredTextAsync();
        Assert.Equal(record, read);
        Assert.Equal("-----BEGIN PRIVATE KEY-----account-key-plaintext", account.KeyPem);
        Assert.DoesNotContain("managed-key-plaintext", onDisk);
        Assert.DoesNotContain("account-key-plaintext", onDisk);
        Assert.Equal(revision + 1, await store.GetRevisionAsync());
        Assert.Equal("ManagedCertificateRecord(iris, irisab12cd.local.endpoints.test, 0A)", read.ToString());

        await store.DeleteEndpointAsync("iris");
        Assert.Empty(await store.ListManagedCertificatesAsync());
    }

    [Fact]
    public async Task TokenSigningKeys_RoundTripEncrypted_OldestFirst_AndChangesBumpTheRevision()
    {
        var store = await OpenAsync();
        var revision = await store.GetRevisionAsync();
        var older = new TokenSigningKeyRecord("k1", "-----BEGIN PRIVATE KEY-----signing-one-plaintext", DateTimeOffset.UnixEpoch);
        var newer = new TokenSigningKeyRecord("k2", "-----BEGIN PRIVATE KEY-----signing-two-plaintext", DateTimeOffset.UnixEpoch.AddDays(7));

        await store.InsertTokenSigningKeyAsync(newer);
        await store.InsertTokenSigningKeyAsync(older);
        var read = await store.ListTokenSigningKeysAsync();
        var onDisk = await StoredTextAsync();

        Assert.Equal([older, newer], read);
        Assert.DoesNotContain("signing-one-plaintext", onDisk);
        Assert.Equal(revision + 2, await store.GetRevisionAsync());
        Assert.DoesNotContain("plaintext", older.ToString());

        await store.DeleteTokenSigningKeysAsync(["k1"]);
        await store.DeleteTokenSigningKeysAsync(["gone"]);
        Assert.Equal([newer], await store.ListTokenSigningKeysAsync());
        Assert.Equal(revision + 3, await store.GetRevisionAsync());
    }

    protected static EndpointRecord Endpoint(string name) => new(
        name, EndpointAuthMode.Key, "primary-plaintext", "secondary-plaintext",
        new Dictionary<string, int> { ["blue"] = 90 }, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    protected static DeploymentRecord Deployment(string endpoint, string name) =>
        new(endpoint, name, ["http://127.0.0.1:1"], RequestSettings.Default, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
