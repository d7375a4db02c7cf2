using System.Net;
using ScoreGate.Dns.Tsig;
using ScoreGate.Dns.Update;
using ScoreGate.Dns.Wire;

namespace ScoreGate.Dns.Tests.Wire;

/// <summary>
/// Mutation fuzzing from a seed corpus of real message shapes: whatever the bytes, reading
/// returns true or false and never throws or hangs. Seeded, so a failure reproduces.
/// </summary>
public sealed class DnsMessageFuzzTests
{
    private static IEnumerable<byte[]> Corpus()
    {
        var key = TsigKey.Parse("ddns-key", Convert.ToBase64String(new byte[32]), null).Key!;
        var update = new DnsMessage
        {
            Id = 7,
            Flags = DnsMessage.FlagsFor(DnsOpcode.Update),
            Questions = [new DnsQuestion("endpoints.test", DnsType.Soa, DnsClass.In)],
            Authorities = [.. DnsChange.Replace([DnsRecord.Address("x.endpoints.test", IPAddress.IPv6Loopback, 60), DnsRecord.Text("t.endpoints.test", "value", 60)]).Select(c => c.Record)],
        };
        yield return update.ToArray();
        yield return TsigSigner.Sign(update, key, DateTimeOffset.UnixEpoch.AddYears(56)).Bytes;
        yield return
        [
            0, 1, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
            1, (byte)'a', 7, .. "example"u8, 0, 0, 1, 0, 1,
            0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
            0xC0, 14, 0, 16, 0, 1, 0, 0, 0, 60, 0, 3, 2, (byte)'h', (byte)'i',
        ];
    }

    [Fact]
    public void TryRead_MutatedMessages_NeverThrows()
    {
        var random = new Random(2136);
        var parsed = 0;
        foreach (var seed in Corpus())
        {
            Assert.True(DnsMessage.TryRead(seed, out _));
            for (var i = 0; i < 20_000; i++)
            {
                var bytes = Mutate(seed, random);
                if (DnsMessage.TryRead(bytes, out var message))
                {
                    parsed++;
                    // Whatever was read must be usable: this walks every record and TSIG body.
                    foreach (var record in message.Answers.Concat(message.Authorities).Concat(message.Additionals))
                    {
                        _ = record.Value;
                        _ = TsigRecordData.TryRead(record.Data.Span, out _);
                    }
                }
            }
        }

        // Most mutations keep the message readable: the fuzzer reaches deep into it.
        Assert.True(parsed > 10_000, $"only {parsed} mutated messages were readable");
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                break;
            case 1:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                break;
            case 2:
                bytes = bytes[..random.Next(bytes.Length)];
                break;
            default:
                var at = random.Next(bytes.Length);
                bytes = [.. bytes[..at], .. Enumerable.Range(0, random.Next(1, 8)).Select(_ => (byte)random.Next(256)), .. bytes[at..]];
                break;
        }

        return bytes;
    }
}
