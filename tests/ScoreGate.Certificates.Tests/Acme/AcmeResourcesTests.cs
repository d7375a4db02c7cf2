using System.Text.Json;
using ScoreGate.Certificates.Acme;

namespace ScoreGate.Certificates.Tests.Acme;

/// <summary>Statuses are parsed where the CA's JSON is read; a status RFC 8555 does not define is refused there.</summary>
public sealed class AcmeResourcesTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("pending", AcmeOrderStatus.Pending)]
    [InlineData("ready", AcmeOrderStatus.Ready)]
    [InlineData("processing", AcmeOrderStatus.Processing)]
    [InlineData("valid", AcmeOrderStatus.Valid)]
    [InlineData("invalid", AcmeOrderStatus.Invalid)]
    public void Order_Status_ParsedByItsRfcName(string status, AcmeOrderStatus expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize<AcmeOrder>(Order(status), Json)!.Status);

    [Theory]
    [InlineData("Valid")]
    [InlineData("done")]
    [InlineData("1")]
    public void Order_UnknownStatus_IsAJsonError(string status) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<AcmeOrder>(Order(status), Json));

    [Fact]
    public void Authorization_StatusParsed_ChallengeKindsKnownOrNull()
    {
        const string json = """
            {"status": "deactivated", "identifier": {"type": "dns", "value": "iris.endpoints.test"}, "wildcard": false, "challenges": [
              {"type": "http-01", "url": "https://ca.test/c/1", "status": "pending", "token": "t1"},
              {"type": "dns-account-01", "url": "https://ca.test/c/2", "status": "pending", "token": "t2"}]}
            """;

        var authorization = JsonSerializer.Deserialize<AcmeAuthorization>(json, Json)!;

        Assert.Equal(AcmeAuthorizationStatus.Deactivated, authorization.Status);
        Assert.Equal([AcmeChallengeKind.Http01, null], authorization.Challenges.Select(c => c.Kind));
    }

    private static string Order(string status) =>
        $$"""{"status": "{{status}}", "identifiers": [], "authorizations": [], "finalize": "https://ca.test/finalize/1"}""";
}
