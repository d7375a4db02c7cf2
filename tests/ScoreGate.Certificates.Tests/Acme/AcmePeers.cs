using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using ScoreGate.Certificates.Acme;
using ScoreGate.Dns;
using ScoreGate.Dns.Tsig;
using ScoreGate.Dns.Update;
using ScoreGate.Dns.Wire;

namespace ScoreGate.Certificates.Tests.Acme;

/// <summary>BIND for names and DNS-01, Pebble as the CA, and a small Kestrel answering HTTP-01 and TLS-ALPN-01.</summary>
public sealed class AcmePeers : IAsyncDisposable
{
    private AcmePeers(BindServer bind, PebbleServer pebble, WebApplication answers, Http01ChallengeResponder http01, TlsAlpn01ChallengeResponder tlsAlpn01)
    {
        Bind = bind;
        Pebble = pebble;
        Answers = answers;
        Http01 = http01;
        TlsAlpn01 = tlsAlpn01;
        Dns = new DnsClient(new DnsTransport(new IPEndPoint(IPAddress.Loopback, bind.Port), TimeSpan.FromSeconds(2)), TsigKey.Parse(bind.KeyName, bind.Secret, bind.Algorithm).Key!, TimeProvider.System);
    }

    public BindServer Bind { get; }

    public PebbleServer Pebble { get; }

    public WebApplication Answers { get; }

    public Http01ChallengeResponder Http01 { get; }

    public TlsAlpn01ChallengeResponder TlsAlpn01 { get; }

    public DnsClient Dns { get; }

    public static async Task<AcmePeers> StartAsync()
    {
        var bind = await BindServer.StartAsync();
        var httpPort = FreePort.Next();
        var tlsPort = FreePort.Next();
        var http01 = new Http01ChallengeResponder();
        var tlsAlpn01 = new TlsAlpn01ChallengeResponder();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, httpPort);
            kestrel.Listen(IPAddress.Loopback, tlsPort, listener =>
            {
                listener.Protocols = HttpProtocols.Http1;
                listener.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = async context => new System.Net.Security.SslServerAuthenticationOptions
                    {
                        ServerCertificate = await tlsAlpn01.CertificateForAsync(context.ClientHelloInfo.ServerName, context.CancellationToken),
                        ApplicationProtocols = [new System.Net.Security.SslApplicationProtocol(TlsAlpn01ChallengeResponder.Protocol)],
                    },
                });
            });
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            var answer = path.StartsWith(Http01ChallengeResponder.PathPrefix, StringComparison.Ordinal) ? await http01.AnswerAsync(path[Http01ChallengeResponder.PathPrefix.Length..], context.RequestAborted) : null;
            context.Response.StatusCode = answer is null ? 404 : 200;
            if (answer is not null)
            {
                await context.Response.WriteAsync(answer);
            }
        });
        await app.StartAsync();
        var pebble = await PebbleServer.StartAsync(bind.Address, httpPort, tlsPort);
        return new AcmePeers(bind, pebble, app, http01, tlsAlpn01);
    }

    public AcmeIssuer Issuer(IEnumerable<IAcmeChallengeResponder>? responders = null)
    {
        var client = new AcmeClient(AcmeHttpClient.Create(File.ReadAllText(Pebble.ListenerCaFile)), Pebble.DirectoryUrl, AcmeAccountKey.Create());
        return new AcmeIssuer(client, responders ?? [Http01, TlsAlpn01, new Dns01ChallengeResponder(Dns, Bind.Zone)], TimeProvider.System);
    }

    /// <summary>Points a name at loopback, where the challenge answers are.</summary>
    public async Task PublishAsync(string name)
    {
        var result = await Dns.UpdateAsync(Bind.Zone, DnsChange.Replace([DnsRecord.Address(name, IPAddress.Loopback, 60)]), default);
        Assert.Null(result.Error);
    }

    public async ValueTask DisposeAsync()
    {
        Pebble.Dispose();
        await Answers.DisposeAsync();
        Bind.Dispose();
    }
}
