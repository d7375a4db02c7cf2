using System.Security.Authentication;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using ScoreGate.ControlPlane.Secrets;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Routing;
using ScoreGate.Router.Tls;

namespace ScoreGate.ControlPlane.Tests;

/// <summary>A real SQLite store in a temporary directory, and the publisher that builds route tables from it.</summary>
public sealed class PublishingStore : IDisposable
{
    private readonly TempDirectory _dir;

    private PublishingStore(TempDirectory dir, SqlStore store, RouteTableHolder routes, ConfigurationPublisher publisher)
    {
        _dir = dir;
        Store = store;
        Routes = routes;
        Publisher = publisher;
    }

    public SqlStore Store { get; }

    public ConfigurationPublisher Publisher { get; }

    public RouteTableHolder Routes { get; }

    public static async Task<PublishingStore> OpenAsync()
    {
        var dir = new TempDirectory();
        var store = await SqlStore.OpenSqliteAsync(dir.File("scoregate.db"), new SecretProtector(RandomNumberGenerator.GetBytes(32)));
        var settings = new RouterSettings { AdminUrl = new Uri("http://127.0.0.1:7400"), StateDir = dir.Path };
        var watcher = new TlsBindingWatcher(new CertificateSelector(), SslProtocols.Tls12, TimeProvider.System, NullLogger<TlsBindingWatcher>.Instance);
        var routes = new RouteTableHolder();
        return new PublishingStore(dir, store, routes, new ConfigurationPublisher(store, settings, routes, watcher, NullLogger<ConfigurationPublisher>.Instance));
    }

    public void Dispose()
    {
        Publisher.Dispose();
        Store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _dir.Dispose();
    }
}
