using Microsoft.Extensions.Logging;

namespace ScoreGate.Router.Auth;

public sealed partial class OidcKeySource
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 90, EventName = nameof(EventIds.OidcKeysFetched), Level = LogLevel.Information,
            Message = "OpenID Connect provider {Issuer}: signing keys {KeyIds}.")]
        public static partial void KeysFetched(ILogger logger, string issuer, string keyIds);

        /// <summary>Logged once per outage; <c>scoregate status</c> and /healthz show it while it lasts.</summary>
        [LoggerMessage(EventId = 91, EventName = nameof(EventIds.OidcProviderUnreachable), Level = LogLevel.Warning,
            Message = "OpenID Connect provider {Issuer}: its metadata {Problem}. The {CachedKeys} cached signing key(s) keep verifying tokens; a new key cannot be learnt until it is back.")]
        public static partial void ProviderUnreachable(ILogger logger, string issuer, string problem, int cachedKeys);

        [LoggerMessage(EventId = 92, EventName = nameof(EventIds.OidcProviderBack), Level = LogLevel.Information,
            Message = "OpenID Connect provider {Issuer}: metadata fetched again; the outage is over.")]
        public static partial void ProviderBack(ILogger logger, string issuer);
    }
}
