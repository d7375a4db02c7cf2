using System.Net;
using ScoreGate.Dns.Update;
using ScoreGate.Dns.Wire;

namespace ScoreGate.Dns.Tests.Wire;

public sealed class DnsMessageTests
{
    [Fact]
    public void TryWrite_UpdateMessage_ReadsBackTheSameSections()
    {
        var message = new DnsMessage
        {
            Id = 0xBEEF,
            Flags = DnsMessage.FlagsFor(DnsOpcode.Update),
            Questions = [new DnsQuestion("endpoints.test", DnsType.Soa, DnsClass.In)],
            Authorities =
            [
                .. DnsChange.Replace([DnsRecord.Address("a.endpoints.test", IPAddress.Parse("192.0.2.7"), 60)]).Select(c => c.Record),
                DnsRecord.Text("_acme-challenge.a.endpoints.test", new string('x', 300), 30),
            ],
        };

        var bytes = message.ToArray();

        Assert.True(DnsMessage.TryRead(bytes, out var read));
        Assert.Equal(0xBEEF, read.Id);
        Assert.Equal(DnsOpcode.Update, read.Opcode);
        Assert.Equal("endpoints.test", Assert.Single(read.Questions).Name);
        Assert.Equal(3, read.Authorities.Count);
        Assert.Equal((DnsType.A, DnsClass.Any, 0), (read.Authorities[0].Type, read.Authorities[0].Class, read.Authorities[0].Data.Length));
        Assert.Equal("192.0.2.7", read.Authorities[1].AsAddress()?.ToString());
        Assert.Equal(new string('x', 300), read.Authorities[2].AsText());
        Assert.Equal(-1, read.TsigOffset);
    }

    [Fact]
    public void TryRead_CompressedNames_FollowsPointersBackwards()
    {
        // Header, one question "a.example" (offset 12), one answer whose name is a pointer to it.
        byte[] bytes =
        [
            0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
            1, (byte)'a', 7, .. "example"u8, 0, 0, 1, 0, 1,
            0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
        ];

        Assert.True(DnsMessage.TryRead(bytes, out var read));
        Assert.Equal("a.example", read.Answers[0].Name);
        Assert.Equal("192.0.2.1", read.Answers[0].AsAddress()?.ToString());
        Assert.Equal(60u, read.Answers[0].Ttl);
    }

    public static TheoryData<string, byte[]> Hostile => new()
    {
        { "empty", [] },
        { "header cut short", [0, 1, 0, 0, 0] },
        { "question count beyond the data", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] },
        { "pointer to itself", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1] },
        { "pointer forwards", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 0, 0, 1, 0, 1] },
        { "label longer than the message", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 40, 1, 2] },
        { "reserved label type", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 1, 0, 0, 1, 0, 1] },
        { "rdata length beyond the data", [0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 9, 1] },
        { "a billion records claimed", [0, 1, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void TryRead_MalformedInput_ReturnsFalse(string why, byte[] bytes)
    {
        Assert.False(DnsMessage.TryRead(bytes, out _), why);
    }

    [Theory]
    [InlineData("a..endpoints.test")]
    [InlineData("bücher.endpoints.test")]
    public void TryWrite_InvalidName_ReturnsFalse(string name)
    {
        var message = new DnsMessage { Questions = [new DnsQuestion(name, DnsType.A, DnsClass.In)] };

        Assert.False(message.TryWrite(new byte[512], out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Problem_LabelOf64Characters_SaysTheLimit()
    {
        var name = new string('a', 64) + ".endpoints.test";

        Assert.Equal($"'{name}' has a label of 64 characters; each must have 1 to 63.", DnsName.Problem(name));
    }

    [Fact]
    public void TryWrite_DestinationTooSmall_ReturnsFalse()
    {
        var message = new DnsMessage { Questions = [new DnsQuestion("endpoints.test", DnsType.Soa, DnsClass.In)] };

        Assert.False(message.TryWrite(new byte[20], out _));
        Assert.True(message.TryWrite(new byte[32], out var written));
        Assert.Equal(32, written);
    }
}
