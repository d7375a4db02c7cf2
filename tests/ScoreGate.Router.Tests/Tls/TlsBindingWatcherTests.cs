using System.Security.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using ScoreGate.Certificates.Pem;
using ScoreGate.Router.Tls;

namespace ScoreGate.Router.Tests.Tls;

/// <summary>One poll or one apply at a time, no timers: changes are served, failures fail only their own name.</summary>
public sealed class TlsBindingWatcherTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.CreateRoot();
    private readonly CertificateSelector _selector = new();
    private readonly TlsBindingWatcher _watcher;
    private readonly TlsBindingSpec _default;

    public TlsBindingWatcherTests()
    {
        _watcher = new TlsBindingWatcher(_selector, SslProtocols.Tls12, TimeProvider.System, NullLogger<TlsBindingWatcher>.Instance);
        _default = new TlsBindingSpec(null, Files("router"), "localhost", "sslCname");
        using var first = _ca.Issue(["localhost"]);
        first.WriteTo(_dir.File("router"));
        _watcher.Apply(_default, []);
    }

    private string? Served(string? serverName) => _selector.Select(serverName) is null ? null : _selector.Current.Find(serverName)!.Certificate.Leaf.SerialNumber;

    [Fact]
    public void Poll_FilesUnchanged_PublishesNothing()
    {
        var before = _selector.Current;

        Assert.False(_watcher.ReloadIfChanged());
        Assert.Same(before, _selector.Current);
    }

    [Fact]
    public void Poll_NewValidPair_IsServed()
    {
        using var next = _ca.Issue(["localhost"]);
        next.WriteTo(_dir.File("router"));

        Assert.True(_watcher.ReloadIfChanged());
        Assert.Equal(next.SerialNumber, Served("localhost"));
    }

    [Fact]
    public void Poll_BrokenFileThenFixed_KeepsOldUntilFixed()
    {
        var original = Served("localhost");
        File.WriteAllText(_dir.File("router/cert.pem"), "garbage");

        _watcher.ReloadIfChanged();
        Assert.Equal(original, Served("localhost"));
        Assert.StartsWith("router: ", _watcher.Problems[string.Empty]);
        Assert.False(_watcher.ReloadIfChanged());

        using var next = _ca.Issue(["localhost"]);
        next.WriteTo(_dir.File("router"));
        Assert.True(_watcher.ReloadIfChanged());
        Assert.Equal(next.SerialNumber, Served("localhost"));
        Assert.Empty(_watcher.Problems);
    }

    [Fact]
    public void Poll_CertificateForAnotherName_IsRefusedBecauseOfCname()
    {
        var original = Served("localhost");
        using var wrong = _ca.Issue(["www.contoso.test"]);
        wrong.WriteTo(_dir.File("router"));

        _watcher.ReloadIfChanged();

        Assert.Equal(original, Served("localhost"));
        Assert.Contains("sslCname 'localhost' is not covered", _watcher.Problems[string.Empty], StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_HostBindings_ServeTheirNamesAndLeaveTheDefaultAlone()
    {
        var original = Served("localhost");
        using var api = _ca.Issue(["api.contoso.test"]);
        api.WriteTo(_dir.File("api"));

        _watcher.Apply(_default, [new TlsBindingSpec("api.contoso.test", Files("api"), "api.contoso.test", "--cname")]);

        Assert.Equal(api.SerialNumber, Served("api.contoso.test"));
        Assert.Equal(original, Served("localhost"));
        Assert.Equal(original, Served("other.contoso.test"));
    }

    [Fact]
    public void Apply_BrokenHostSource_RefusesThatNameOnly_NeverServesTheDefaultForIt()
    {
        var original = Served("localhost");
        Directory.CreateDirectory(_dir.File("broken"));

        _watcher.Apply(_default, [new TlsBindingSpec("broken.contoso.test", Files("broken"), "broken.contoso.test", "--cname")]);

        Assert.Null(Served("broken.contoso.test"));
        Assert.Equal(original, Served("localhost"));
        Assert.Contains("does not exist", _watcher.Problems["broken.contoso.test"], StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_WithoutDefault_RefusesUnnamedHosts()
    {
        _watcher.Apply(null, []);

        Assert.Null(Served("localhost"));
        Assert.Null(Served(null));
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _ca.Dispose();
        _dir.Dispose();
    }

    private FileCertificateSource Files(string name) =>
        new(name, new PemCertificateFiles(_dir.File($"{name}/cert.pem"), _dir.File($"{name}/key.pem")));
}
