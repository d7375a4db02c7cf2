using System.Security.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using ScoreGate.Certificates.Pem;
using ScoreGate.Router.Configuration;
using ScoreGate.Router.Tls;

namespace ScoreGate.Router.Tests.Tls;

/// <summary>One poll at a time, no timers: a change is served, a refused change keeps the old certificate.</summary>
public sealed class CertificateReloaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.CreateRoot();
    private readonly CertificateSelector _selector = new();
    private readonly RouterCertificateSource _source;
    private readonly CertificateReloader _reloader;

    public CertificateReloaderTests()
    {
        _source = new RouterCertificateSource("sslCertPemFile/sslKeyPemFile", new PemCertificateFiles(_dir.File("cert.pem"), _dir.File("key.pem")));
        using var first = _ca.Issue(["localhost"]);
        first.WriteTo(_dir.Path);
        var binding = TlsBindingLoader.Load(_source, "localhost", SslProtocols.Tls12, TimeProvider.System).Binding!;
        _selector.Publish(new TlsSnapshot(binding, []));
        _reloader = new CertificateReloader(_source, "localhost", SslProtocols.Tls12, CertificateFingerprint.Of(_source.Files), _selector, TimeProvider.System, NullLogger<CertificateReloader>.Instance);
    }

    private string ServedSerial => _selector.Current.Default!.Certificate.Leaf.SerialNumber;

    [Fact]
    public void Poll_FilesUnchanged_PublishesNothing()
    {
        var before = _selector.Current;

        Assert.False(_reloader.ReloadIfChanged());
        Assert.Same(before, _selector.Current);
    }

    [Fact]
    public void Poll_NewValidPair_IsServed()
    {
        using var next = _ca.Issue(["localhost"]);
        next.WriteTo(_dir.Path);

        Assert.True(_reloader.ReloadIfChanged());
        Assert.Equal(next.SerialNumber, ServedSerial);
    }

    [Fact]
    public void Poll_BrokenFileThenFixed_KeepsOldUntilFixed()
    {
        var original = ServedSerial;
        File.WriteAllText(_dir.File("cert.pem"), "garbage");

        Assert.False(_reloader.ReloadIfChanged());
        Assert.Equal(original, ServedSerial);
        Assert.False(_reloader.ReloadIfChanged());

        using var next = _ca.Issue(["localhost"]);
        next.WriteTo(_dir.Path);
        Assert.True(_reloader.ReloadIfChanged());
        Assert.Equal(next.SerialNumber, ServedSerial);
    }

    [Fact]
    public void Poll_CertificateForAnotherName_IsRefusedBecauseOfCname()
    {
        var original = ServedSerial;
        using var wrong = _ca.Issue(["www.contoso.test"]);
        wrong.WriteTo(_dir.Path);

        Assert.False(_reloader.ReloadIfChanged());
        Assert.Equal(original, ServedSerial);
    }

    public void Dispose()
    {
        _reloader.Dispose();
        _ca.Dispose();
        _dir.Dispose();
    }
}
