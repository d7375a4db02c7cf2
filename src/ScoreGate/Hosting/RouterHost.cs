using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using System.Net.Security;
using ScoreGate.Certificates.Acme;
using ScoreGate.Certificates.Files;
using ScoreGate.ControlPlane;
using ScoreGate.ControlPlane.Api;
using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Managed;
using ScoreGate.ControlPlane.Processes;
using ScoreGate.ControlPlane.Secrets;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.ControlPlane.Store;
using ScoreGate.ControlPlane.Tls;
using ScoreGate.ControlPlane.Tokens;
using ScoreGate.Dns;
using ScoreGate.Router;
using ScoreGate.Router.Auth;
using ScoreGate.Router.Forwarding;
using ScoreGate.Router.Forwarding.Http1;
using ScoreGate.Router.Health;
using ScoreGate.Router.Metrics;
using ScoreGate.Router.Routing;
using ScoreGate.Router.Tls;

namespace ScoreGate.Hosting;

/// <summary>
/// The composition root of the router: validates everything first, then builds and starts the
/// listeners. Nothing half-starts: any problem is reported with all the others and nothing binds.
/// </summary>
public sealed partial class RouterHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RouterHost(WebApplication app, RouterSettings settings)
    {
        _app = app;
        Settings = settings;
    }

    public RouterSettings Settings { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<RouterStartResult> StartAsync(RouterSettingsReadResult read, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var settings = read.Settings;
        var errors = read.Errors.ToList();

        // :: Certificates first: a bad one is reported with the setting errors, before anything binds.
        TlsBinding? binding = null;
        TlsBindingSpec? defaultSpec = null;
        string? fingerprint = null;
        if (settings.Certificate is not null)
        {
            defaultSpec = new TlsBindingSpec(null, settings.Certificate, settings.SslCname, RouterSettingNames.SslCname, settings.ClientCertificates);
            // Taken before loading, so a change made while loading is seen by the first poll.
            fingerprint = defaultSpec.Fingerprint();
            // Without a logger: with client certificates this load is only a check (see Seed below).
            var loaded = TlsBindingLoader.Load(defaultSpec, settings.MinProtocol, time, null);
            binding = loaded.Binding;
            if (loaded.Error is not null)
            {
                errors.Add(loaded.Error);
            }
        }

        if (errors.Count > 0)
        {
            binding?.Certificate.Dispose();
            return RouterStartResult.Failed(errors);
        }

        SecretProtector? secrets = null;
        AdminToken adminToken;
        SqlStore store;
        try
        {
            PrivateFile.EnsurePrivateDirectory(settings.StateDir);
            adminToken = AdminToken.LoadOrCreate(settings.StateDir);
            if (settings.MasterKeyFile is null)
            {
                secrets = SecretProtector.ForStateDir(settings.StateDir);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or SecretFileException)
        {
            binding?.Certificate.Dispose();
            return RouterStartResult.Failed([$"{RouterSettingNames.StateDir} '{settings.StateDir}' cannot be used: {error.Message}"]);
        }

        // A given key file's problems name that setting, not stateDir.
        try
        {
            secrets ??= SecretProtector.ForKeyFile(settings.MasterKeyFile!);
        }
        catch (SecretFileException error)
        {
            binding?.Certificate.Dispose();
            return RouterStartResult.Failed([$"{RouterSettingNames.MasterKeyFile}: {error.Message}"]);
        }

        try
        {
            store = settings.Store == RouterSettings.SqliteStore
                ? await SqlStore.OpenSqliteAsync(StateFiles.Database(settings.StateDir), secrets, cancellationToken)
                : await SqlStore.OpenPostgresAsync(settings.Store, secrets, cancellationToken);
        }
        catch (Exception error) when (error is StoreException or IOException or UnauthorizedAccessException)
        {
            binding?.Certificate.Dispose();
            return RouterStartResult.Failed([$"{RouterSettingNames.Store}: {error.Message}"]);
        }

        var publicHost = new PublicHostName(settings.SslCname);
        var app = Build(settings, time, secrets, adminToken, store, publicHost);
        if (binding is not null && defaultSpec!.ClientCertificates is null)
        {
            app.Services.GetRequiredService<TlsBindingWatcher>().Seed(defaultSpec, fingerprint!, binding);
        }
        else
        {
            // A binding that asks for client certificates logs refused handshakes: the watcher loads
            // it again with its logger when the configuration is published, just below.
            binding?.Certificate.Dispose();
        }

        if (settings.Managed.LeafDomainLabel is { } label)
        {
            // The name exists (kept or generated) before anything is published or printed.
            var managed = await app.Services.GetRequiredService<ManagedCertificateRenewer>().EnsureAsync(
                TlsBindingRecord.RouterScope, label, settings.Managed.OverwriteExistingDomain, settings.Managed.Renew, cancellationToken);
            publicHost.Value = managed.HostName;
        }

        await app.Services.GetRequiredService<ConfigurationPublisher>().PublishAsync(cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException error)
        {
            await app.DisposeAsync();
            await store.DisposeAsync();
            return RouterStartResult.Failed([$"{error.Message} Stop what uses the port, or choose free ones with {RouterSettingNames.HttpsPort}, {RouterSettingNames.HttpPort} and {RouterSettingNames.AdminUrl}."]);
        }

        // Warmed up in the background, so an unreachable provider shows in 'scoregate status' before the first token arrives.
        if (app.Services.GetService<OidcKeySource>() is { } oidcKeys)
        {
            _ = oidcKeys.GetAsync(CancellationToken.None).AsTask();
        }

        var logger = app.Services.GetRequiredService<ILogger<RouterHost>>();
        LogStarted(logger, settings, app.Services.GetRequiredService<CertificateSelector>());
        return RouterStartResult.Started(new RouterHost(app, settings));
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        var certificate = _app.Services.GetRequiredService<CertificateSelector>().Current.Default?.Certificate;
        var store = _app.Services.GetRequiredService<SqlStore>();
        await _app.DisposeAsync();
        await store.DisposeAsync();
        certificate?.Dispose();
    }

    private static WebApplication Build(RouterSettings settings, TimeProvider time, SecretProtector secrets, AdminToken adminToken, SqlStore store, PublicHostName publicHost)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = settings.StateDir });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        if (settings.JsonLogs)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            // The simple console's single line, with control characters escaped (client input reaches log lines).
            builder.Logging.AddConsole(o => o.FormatterName = EscapingTextFormatter.FormatterName);
            // What AddConsoleFormatter registers, without its reflection-based binding (Native AOT):
            // the console's FormatterOptions section is bound by generated code, then ours apply.
            builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, EscapingTextFormatter>());
            builder.Services.AddOptions<ConsoleFormatterOptions>().Bind(builder.Configuration.GetSection("Logging:Console:FormatterOptions"));
            builder.Services.Configure<ConsoleFormatterOptions>(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        // Hosting's per-request lines would double every request in the log; access logs are ours to write.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        // Hosting starts an Activity for every request while this logger is on at any level; it
        // only ever logs request start and end, which the access log covers. Kestrel still logs errors.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        var services = builder.Services;
        // Anything ASP.NET serializes itself uses the admin API's generated serializers first (Native AOT has no reflection fallback).
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
        services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        services.AddSingleton(settings);
        services.AddSingleton(settings.DataPlane);
        services.AddSingleton(time);
        services.AddSingleton(secrets);
        services.AddSingleton(adminToken);
        services.AddSingleton<IScoreGateStore>(store);
        services.AddSingleton(store);
        services.AddSingleton(new StoreHealth(store.Description));
        if (store.IsShared)
        {
            services.AddHostedService<StoreChangeFeed>();
        }

        services.AddSingleton<CertificateSelector>();
        services.AddSingleton<RouteTableHolder>();
        services.AddSingleton(new InferenceHost(settings.PythonCommand, InferenceHost.ShippedScript));
        services.AddSingleton<ModelProcessSupervisor>();
        services.AddHostedService(provider => provider.GetRequiredService<ModelProcessSupervisor>());
        services.AddSingleton(provider => new ConfigurationPublisher(
            provider.GetRequiredService<IScoreGateStore>(),
            settings,
            provider.GetRequiredService<RouteTableHolder>(),
            provider.GetRequiredService<TlsBindingWatcher>(),
            provider.GetRequiredService<ILogger<ConfigurationPublisher>>(),
            provider.GetRequiredService<ModelProcessSupervisor>()));
        services.AddSingleton<EndpointService>();
        services.AddSingleton<TlsService>();
        services.AddSingleton<TokenService>();
        // Resolved on first use, after a managed name has been generated.
        services.AddSingleton(_ => new ScoringUris(PublicBaseAddress(settings, publicHost.Value)));
        // Probes and https:// models use the platform's client; scoring and mirrored copies to http:// models, the router's own.
        services.AddSingleton(_ => ModelHttpClient.Create());
        services.AddSingleton<ModelConnectionPool>();
        services.AddSingleton<ModelAnswer>();
        services.AddSingleton<Http1Forwarder>();
        services.AddSingleton<HeldRequestSender>();
        services.AddSingleton<HttpsModelForwarder>();
        services.AddSingleton<ModelForwarder>();
        services.AddSingleton<TrafficMirror>();
        services.AddHostedService<InstanceProber>();
        AddOidc(services, settings);
        services.AddSingleton<RouterMetrics>();
        services.AddSingleton(_ => new PrometheusCollector(RouterMetrics.MeterName));
        services.AddSingleton<ScoringHandler>();
        services.AddSingleton<DataPlane>();
        services.AddSingleton(provider => new TlsBindingWatcher(
            provider.GetRequiredService<CertificateSelector>(), settings.MinProtocol, time, provider.GetRequiredService<ILogger<TlsBindingWatcher>>()));
        services.AddHostedService(provider => provider.GetRequiredService<TlsBindingWatcher>());
        AddManagedCertificates(services, settings);

        builder.WebHost.ConfigureKestrel((context, kestrel) => ConfigureListeners(kestrel, settings));

        var app = builder.Build();
        var dataPlane = app.Services.GetRequiredService<DataPlane>();
        var adminPort = settings.AdminUrl.Port;

        // Listening from the start: series resolved only at the first scrape of /metrics would miss every request before it.
        app.Services.GetRequiredService<PrometheusCollector>();

        // Data-plane requests never reach endpoint routing: that is only for the admin API.
        app.Use((context, next) => context.Connection.LocalPort == adminPort ? AdminRequestBodyLimit.InvokeAsync(context, next) : dataPlane.HandleAsync(context));
        app.UseAdminErrorBodies();
        app.UseRouting();
        app.MapAdminApi(adminPort);
        return app;
    }

    /// <summary>The OpenID Connect provider of aad_token endpoints, when oidcAuthority is set; without it they are refused.</summary>
    private static void AddOidc(IServiceCollection services, RouterSettings settings)
    {
        if (settings.Oidc is not { } oidc)
        {
            return;
        }

        services.AddSingleton(oidc);
        services.AddSingleton(provider => new OidcKeySource(
            oidc, OidcHttpClient.Create(oidc.CaBundlePem), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<OidcKeySource>>()));
        services.AddSingleton<OidcTokenValidator>();
    }

    /// <summary>ACME challenge answers, the DNS publisher, accounts and the renewer (DESIGN.md §6).</summary>
    private static void AddManagedCertificates(IServiceCollection services, RouterSettings settings)
    {
        var managed = settings.Managed;
        services.AddSingleton(provider => new Http01ChallengeResponder(provider.GetRequiredService<IScoreGateStore>()));
        services.AddSingleton(provider => new TlsAlpn01ChallengeResponder(provider.GetRequiredService<IScoreGateStore>()));
        services.AddSingleton<IAcmeChallengeResponder>(provider => provider.GetRequiredService<Http01ChallengeResponder>());
        services.AddSingleton<IAcmeChallengeResponder>(provider => provider.GetRequiredService<TlsAlpn01ChallengeResponder>());
        if (managed.DnsServer is { } dnsServer)
        {
            services.AddSingleton(provider => new DnsClient(new DnsTransport(dnsServer, TimeSpan.FromSeconds(3)), managed.DnsTsigKey, provider.GetRequiredService<TimeProvider>()));
            services.AddSingleton(provider => new DnsNamePublisher(provider.GetRequiredService<DnsClient>(), managed));
            if (managed.DnsZone is { } zone)
            {
                services.AddSingleton<IAcmeChallengeResponder>(provider => new Dns01ChallengeResponder(provider.GetRequiredService<DnsClient>(), zone));
            }
        }

        services.AddSingleton(provider => new AcmeAccounts(provider.GetRequiredService<IScoreGateStore>(), managed, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new ManagedCertificateRenewer(
            provider.GetRequiredService<IScoreGateStore>(),
            settings,
            provider.GetRequiredService<ConfigurationPublisher>(),
            provider.GetRequiredService<AcmeAccounts>(),
            provider.GetServices<IAcmeChallengeResponder>(),
            provider.GetService<DnsNamePublisher>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ManagedCertificateRenewer>>()));
        services.AddHostedService(provider => provider.GetRequiredService<ManagedCertificateRenewer>());
        services.AddSingleton(provider => new DnsService(provider.GetRequiredService<IScoreGateStore>(), settings, provider.GetService<DnsNamePublisher>()));
    }

    private static void ConfigureListeners(KestrelServerOptions kestrel, RouterSettings settings)
    {
        kestrel.AddServerHeader = false;
        ApplyLimits(kestrel.Limits, settings);
        var selector = kestrel.ApplicationServices.GetRequiredService<CertificateSelector>();
        var tlsAlpn01 = kestrel.ApplicationServices.GetRequiredService<TlsAlpn01ChallengeResponder>();
        var answersTlsAlpn01 = settings.Managed.AcmeChallenge == "tls-alpn-01";
        var metrics = kestrel.ApplicationServices.GetRequiredService<RouterMetrics>();

        // Bound even without a certificate at start, so 'tls enable' can turn TLS on without a
        // restart; until then every handshake is refused.
        Listen(kestrel, settings.ListenAddress, settings.HttpsPort, listener =>
        {
            listener.Protocols = HttpProtocols.Http1AndHttp2;
            if (answersTlsAlpn01)
            {
                listener.Use(AcmeTlsAlpnDetector.Middleware);
            }

            listener.UseHttps(new TlsHandshakeCallbackOptions
            {
                // A lookup in a prebuilt snapshot; an unknown name with no default is refused. An ACME
                // TLS-ALPN-01 validation (RFC 8737) gets the challenge certificate; nobody else ever does.
                OnConnection = context =>
                {
                    var serverName = context.ClientHelloInfo.ServerName;
                    if (answersTlsAlpn01 && AcmeTlsAlpnDetector.IsAcmeValidation(context.Connection))
                    {
                        return AnswerTlsAlpn01Async(tlsAlpn01, selector, serverName, context.CancellationToken);
                    }

                    var binding = selector.Current.Find(serverName) ?? throw new AuthenticationException($"No certificate is bound to '{serverName}'.");
                    if (binding.ClientCertificates is { } clientCertificates)
                    {
                        // Only connections that ask for a client certificate carry this feature.
                        context.Connection.Features.Set(new ClientCertificateFeature(binding, clientCertificates) { ForwardToModel = settings.ForwardClientCertificate });
                    }

                    return ValueTask.FromResult(binding.ServerOptions);
                },
            });

            // Runs once per connection, after its handshake.
            listener.Use(next => connection =>
            {
                if (connection.Features.Get<ITlsHandshakeFeature>() is { } tls)
                {
                    metrics.HandshakeCompleted(tls.Protocol);
                }

                if (connection.Features.Get<ClientCertificateFeature>() is { } clientCertificate)
                {
                    // Once per connection. In required mode the handshake's callback already
                    // accepted the certificate (or there would be no connection): only its identity is read.
                    var certificate = connection.Features.Get<Microsoft.AspNetCore.Http.Features.ITlsConnectionFeature>()?.ClientCertificate;
                    clientCertificate.Validation = clientCertificate.Policy.Mode == Router.Tls.ClientCertificateMode.Required && certificate is not null
                        ? ClientCertificateValidation.For(certificate, ClientCertificateReason.Valid, string.Empty)
                        : ClientCertificateValidator.Validate(clientCertificate.Policy, certificate);
                }

                return next(connection);
            });
        });

        Listen(kestrel, settings.ListenAddress, settings.HttpPort, listener => listener.Protocols = HttpProtocols.Http1);

        var admin = settings.AdminUrl;
        if (admin.IsLoopback && !IPAddress.TryParse(admin.DnsSafeHost, out _))
        {
            kestrel.ListenLocalhost(admin.Port);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(admin.DnsSafeHost), admin.Port);
        }
    }

    /// <summary>
    /// Kestrel's limits, from the settings (README "Limits"). Kestrel enforces them as the body is
    /// read; the data plane turns a breach into 413 or 408 with a JSON message. The request line
    /// keeps Kestrel's 8 KiB (414 over it): scoring URLs are short, and query strings never reach
    /// logs. The rate check's 5 s grace period is Kestrel's default.
    /// </summary>
    private static void ApplyLimits(KestrelServerLimits limits, RouterSettings settings)
    {
        limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
        limits.MinRequestBodyDataRate = settings.MinRequestBodyDataRate == 0
            ? null
            : new MinDataRate(settings.MinRequestBodyDataRate, TimeSpan.FromSeconds(5));
        limits.MaxRequestHeadersTotalSize = settings.MaxRequestHeadersBytes;
        limits.MaxRequestLineSize = MaxRequestLineBytes;
    }

    /// <summary>Kestrel's default, set explicitly so README's "Limits" stays true if Kestrel changes it.</summary>
    private const int MaxRequestLineBytes = 8192;

    /// <summary>An ACME validation handshake: the challenge certificate while one is pending (from any router), else the usual one.</summary>
    private static async ValueTask<SslServerAuthenticationOptions> AnswerTlsAlpn01Async(TlsAlpn01ChallengeResponder tlsAlpn01, CertificateSelector selector, string? serverName, CancellationToken cancellationToken)
    {
        if (await tlsAlpn01.CertificateForAsync(serverName, cancellationToken) is { } challenge)
        {
            return new SslServerAuthenticationOptions
            {
                ServerCertificate = challenge,
                ApplicationProtocols = [new SslApplicationProtocol(TlsAlpn01ChallengeResponder.Protocol)],
            };
        }

        return selector.Select(serverName) ?? throw new AuthenticationException($"No certificate is bound to '{serverName}'.");
    }

    private static void Listen(KestrelServerOptions kestrel, IPAddress? address, int port, Action<ListenOptions> configure)
    {
        if (address is null)
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else
        {
            kestrel.Listen(address, port, configure);
        }
    }

    /// <summary>The address clients use, for the scoring URIs the CLI prints.</summary>
    private static Uri PublicBaseAddress(RouterSettings settings, string? publicHost)
    {
        var scheme = settings.TlsEnabled ? "https" : "http";
        var port = settings.TlsEnabled ? settings.HttpsPort : settings.HttpPort;
        var host = publicHost ?? "localhost";
        return new UriBuilder(scheme, host, port).Uri;
    }

    /// <summary>After publishing, so it reports what is served (a certificate set with 'tls enable' included).</summary>
    private static void LogStarted(ILogger logger, RouterSettings settings, CertificateSelector certificates)
    {
        var address = settings.ListenAddress?.ToString() ?? "*";
        if (certificates.Current.Default is null && settings.Managed.LeafDomainLabel is null)
        {
            Log.InsecureConnectionsAllowed(logger, RouterSettingNames.AllowInsecureConnections, address, settings.HttpPort);
        }

        Log.RouterStarted(logger, address, settings.HttpsPort, settings.HttpPort, settings.AdminUrl);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = nameof(EventIds.RouterStarted), Level = LogLevel.Information,
            Message = "Router listening on {Address}: HTTPS port {HttpsPort}, HTTP port {HttpPort}; admin API at {AdminUrl}.")]
        public static partial void RouterStarted(ILogger logger, string address, int httpsPort, int httpPort, Uri adminUrl);

        [LoggerMessage(EventId = 2, EventName = nameof(EventIds.InsecureConnectionsAllowed), Level = LogLevel.Warning,
            Message = "{Setting}=true and no certificate: serving plain HTTP on {Address}:{HttpPort}. Keys and data cross the network unencrypted; do not use this in production.")]
        public static partial void InsecureConnectionsAllowed(ILogger logger, string setting, string address, int httpPort);
    }
}

/// <summary>The host name clients use: <c>sslCname</c>, or the generated name of a managed certificate once known.</summary>
internal sealed class PublicHostName(string? value)
{
    public string? Value { get; set; } = value;
}

/// <summary>A started router, or every reason it could not start.</summary>
public sealed record RouterStartResult(RouterHost? Host, IReadOnlyList<string> Errors)
{
    public static RouterStartResult Started(RouterHost host) => new(host, []);

    public static RouterStartResult Failed(IReadOnlyList<string> errors) => new(null, errors);
}
