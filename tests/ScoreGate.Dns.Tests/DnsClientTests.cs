using System.Net;
using ScoreGate.Dns.Tsig;
using ScoreGate.Dns.Update;
using ScoreGate.Dns.Wire;

namespace ScoreGate.Dns.Tests;

/// <summary>Updates and queries against a real BIND, signed with real TSIG keys.</summary>
public sealed class DnsClientTests(BindFixture bind) : IClassFixture<BindFixture>
{
    private const string Zone = "endpoints.test";

    private BindServer Bind => bind.Server;

    private DnsClient Client(string? secret = null, string? keyName = null, string? algorithm = null, bool signed = true)
    {
        var key = signed ? TsigKey.Parse(keyName ?? Bind.KeyName, secret ?? Bind.Secret, algorithm ?? Bind.Algorithm).Key! : null;
        return new DnsClient(new DnsTransport(new IPEndPoint(IPAddress.Loopback, Bind.Port), TimeSpan.FromSeconds(2)), key, TimeProvider.System);
    }

    [Fact]
    public async Task UpdateAsync_ReplaceAddressRecord_BindAnswersTheNewAddress()
    {
        var client = Client();

        var first = await client.UpdateAsync(Zone, DnsChange.Replace([DnsRecord.Address("replace.endpoints.test", IPAddress.Parse("192.0.2.1"), 60)]), default);
        var second = await client.UpdateAsync(Zone, DnsChange.Replace([DnsRecord.Address("replace.endpoints.test", IPAddress.Parse("192.0.2.2"), 60)]), default);

        Assert.Null(first.Error);
        Assert.Null(second.Error);
        Assert.Equal("192.0.2.2", await Bind.DigAsync("replace.endpoints.test"));
        var query = await client.QueryAsync("replace.endpoints.test", DnsType.A, default);
        Assert.Equal(("192.0.2.2", 60u), (Assert.Single(query.Records).Value, query.Records[0].Ttl));
    }

    [Fact]
    public async Task UpdateAsync_AddThenDeleteTxtAndAaaa_BindFollows()
    {
        var client = Client();
        var txt = DnsRecord.Text("_acme-challenge.txt.endpoints.test", "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0", 30);
        var aaaa = DnsRecord.Address("txt.endpoints.test", IPAddress.Parse("2001:db8::5"), 60);

        var added = await client.UpdateAsync(Zone, [DnsChange.Add(txt), DnsChange.Add(aaaa)], default);
        Assert.Null(added.Error);
        Assert.Equal("\"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0\"", await Bind.DigAsync("_acme-challenge.txt.endpoints.test", "TXT"));
        Assert.Equal("2001:db8::5", await Bind.DigAsync("txt.endpoints.test", "AAAA"));

        Assert.Null((await client.UpdateAsync(Zone, [DnsChange.Delete(txt), DnsChange.DeleteSet("txt.endpoints.test", DnsType.Aaaa)], default)).Error);
        Assert.Equal(string.Empty, await Bind.DigAsync("_acme-challenge.txt.endpoints.test", "TXT"));
        Assert.Empty((await client.QueryAsync("txt.endpoints.test", DnsType.Aaaa, default)).Records);
    }

    [Fact]
    public async Task UpdateAsync_WrongSecret_SaysBadSigAndPublishesNothing()
    {
        var wrong = Convert.ToBase64String(new byte[32]);

        var result = await Client(secret: wrong).UpdateAsync(Zone, [
            DnsChange.Add(DnsRecord.Address("badsig.endpoints.test", IPAddress.Parse("192.0.2.9"), 60)),
            DnsChange.Add(DnsRecord.Text("badsig.endpoints.test", "half", 60))], default);

        Assert.Equal(DnsResponseCode.BadSig, result.Code);
        Assert.Equal("The DNS server rejected the TSIG key 'ddns-key' (BADSIG): dnsTsigSecret does not match the server's secret for that key.", result.Error);
        Assert.Equal(string.Empty, await Bind.DigAsync("badsig.endpoints.test", "A"));
        Assert.Equal(string.Empty, await Bind.DigAsync("badsig.endpoints.test", "TXT"));
    }

    [Fact]
    public async Task UpdateAsync_UnknownKeyName_SaysBadKey()
    {
        var result = await Client(keyName: "other-key").UpdateAsync(Zone, [DnsChange.Add(DnsRecord.Address("badkey.endpoints.test", IPAddress.Loopback, 60))], default);

        Assert.Equal(DnsResponseCode.BadKey, result.Code);
        Assert.Equal("The DNS server does not know TSIG key 'other-key' with algorithm hmac-sha256 (BADKEY): check dnsTsigKeyName and dnsTsigAlgorithm against the server's key.", result.Error);
    }

    [Fact]
    public async Task UpdateAsync_Unsigned_SaysATsigKeyIsNeeded()
    {
        var result = await Client(signed: false).UpdateAsync(Zone, [DnsChange.Add(DnsRecord.Address("unsigned.endpoints.test", IPAddress.Loopback, 60))], default);

        Assert.Equal(DnsResponseCode.Refused, result.Code);
        Assert.Equal("The DNS server refused the update to zone 'endpoints.test' (REFUSED): it needs a TSIG key. Set dnsTsigKeyName and dnsTsigSecret.", result.Error);
    }

    [Fact]
    public async Task UpdateAsync_ZoneTheServerDoesNotHold_SaysNotAuth()
    {
        var result = await Client().UpdateAsync("elsewhere.test", [DnsChange.Add(DnsRecord.Address("a.elsewhere.test", IPAddress.Loopback, 60))], default);

        Assert.Equal(DnsResponseCode.NotAuth, result.Code);
        Assert.Equal("The DNS server is not authoritative for zone 'elsewhere.test' (NOTAUTH): check dnsZone and dnsServer.", result.Error);
    }

    [Fact]
    public async Task UpdateAsync_NameOutsideZone_RefusedBeforeSending()
    {
        var result = await Client().UpdateAsync(Zone, [DnsChange.Add(DnsRecord.Address("www.contoso.com", IPAddress.Loopback, 60))], default);

        Assert.Equal("'www.contoso.com' is not in zone 'endpoints.test': check dnsZone.", result.Error);
    }

    [Fact]
    public async Task UpdateAsync_LargerThanUdp_GoesOverTcp()
    {
        // 40 TXT records of 40 bytes: about 2.5 KB, beyond the 512 bytes UDP carries.
        var records = Enumerable.Range(0, 40).Select(i => DnsRecord.Text("big.endpoints.test", $"value-{i:00}-{new string('v', 31)}", 60)).ToList();

        var result = await Client().UpdateAsync(Zone, DnsChange.Replace(records), default);

        Assert.Null(result.Error);
        Assert.Equal(40, (await Bind.DigAsync("big.endpoints.test", "TXT")).Split('\n').Length);
    }

    [Fact]
    public async Task UpdateAsync_NothingListening_SaysTheServerCannotBeReached()
    {
        var port = FreePort.Next();
        var client = new DnsClient(new DnsTransport(new IPEndPoint(IPAddress.Loopback, port), TimeSpan.FromMilliseconds(300)), null, TimeProvider.System);

        var result = await client.UpdateAsync(Zone, [DnsChange.Add(DnsRecord.Address("x.endpoints.test", IPAddress.Loopback, 60))], default);

        Assert.StartsWith($"DNS server 127.0.0.1:{port} cannot be reached over UDP", result.Error, StringComparison.Ordinal);
    }
}

public sealed class DnsClientSha512Tests
{
    [Fact]
    public async Task UpdateAsync_HmacSha512Key_IsAcceptedAndTheAnswerVerifies()
    {
        using var bind = await BindServer.StartAsync(algorithm: "hmac-sha512");
        var key = TsigKey.Parse(bind.KeyName, bind.Secret, "hmac-sha512").Key!;
        var client = new DnsClient(new DnsTransport(new IPEndPoint(IPAddress.Loopback, bind.Port), TimeSpan.FromSeconds(2)), key, TimeProvider.System);

        var result = await client.UpdateAsync("endpoints.test", [DnsChange.Add(DnsRecord.Address("sha512.endpoints.test", IPAddress.Parse("192.0.2.51"), 60))], default);

        Assert.Null(result.Error);
        Assert.Equal("192.0.2.51", await bind.DigAsync("sha512.endpoints.test"));
    }
}
