using Microsoft.Extensions.Logging;

namespace ScoreGate.Router;

public sealed partial class ScoringHandler
{
    /// <summary>
    /// Levels follow who caused the problem (STYLE.md §6): a model failure is a warning, a client
    /// that went away is debug. Never a header, a key or a body.
    /// </summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 20, EventName = nameof(EventIds.ModelUnreachable), Level = LogLevel.Warning,
            Message = "Endpoint {Endpoint}: deployment {Deployment} could not be reached at {Instance}.")]
        public static partial void ModelUnreachable(ILogger logger, string endpoint, string deployment, Uri instance);

        [LoggerMessage(EventId = 21, EventName = nameof(EventIds.ModelTimedOut), Level = LogLevel.Warning,
            Message = "Endpoint {Endpoint}: deployment {Deployment} did not answer within {TimeoutMs} ms.")]
        public static partial void ModelTimedOut(ILogger logger, string endpoint, string deployment, long timeoutMs);

        [LoggerMessage(EventId = 22, EventName = nameof(EventIds.ModelResponseBroken), Level = LogLevel.Warning,
            Message = "Endpoint {Endpoint}: deployment {Deployment} broke its response midway ({Problem}); the client's connection was aborted.")]
        public static partial void ModelResponseBroken(ILogger logger, string endpoint, string deployment, string problem);

        [LoggerMessage(EventId = 30, EventName = nameof(EventIds.ModelResponseInvalid), Level = LogLevel.Warning,
            Message = "Endpoint {Endpoint}: deployment {Deployment} answered with a malformed response ({Problem}); the client got 502 and the connection to the model was closed.")]
        public static partial void ModelResponseInvalid(ILogger logger, string endpoint, string deployment, string problem);

        [LoggerMessage(EventId = 23, EventName = nameof(EventIds.ClientGone), Level = LogLevel.Debug,
            Message = "Endpoint {Endpoint}: the client went away; the request to deployment {Deployment} was cancelled.")]
        public static partial void ClientGone(ILogger logger, string endpoint, string deployment);

        [LoggerMessage(EventId = 24, EventName = nameof(EventIds.DeploymentBusy), Level = LogLevel.Debug,
            Message = "Endpoint {Endpoint}: deployment {Deployment} is at its concurrency limit and its queue wait ran out; the request got 429.")]
        public static partial void DeploymentBusy(ILogger logger, string endpoint, string deployment);

        /// <summary>The client's own fault (a malformed, too large or too slow body): Debug, never counted against the model.</summary>
        [LoggerMessage(EventId = 29, EventName = nameof(EventIds.ClientBodyRefused), Level = LogLevel.Debug,
            Message = "Endpoint {Endpoint}: the client's request body was refused with {Status} ({Cause}); the model was not at fault.")]
        public static partial void ClientBodyRefused(ILogger logger, string endpoint, int status, string cause);

        /// <summary>
        /// With <c>accessLog=true</c>: the path, never the query string (callers put tokens there), a header or a body;
        /// an OpenID Connect token's subject, never the token; on connections that asked for a client certificate,
        /// its subject, SANs and SHA-256 fingerprint (empty otherwise).
        /// </summary>
        [LoggerMessage(EventId = 25, EventName = nameof(EventIds.AccessLog), Level = LogLevel.Information,
            Message = "{Method} {Path} {Status} {DurationMs:0.0}ms endpoint={Endpoint} deployment={Deployment} request_id=\"{RequestId}\" client={Client} subject=\"{Subject}\" client_cert_subject=\"{ClientCertSubject}\" client_cert_san=\"{ClientCertSan}\" client_cert_sha256={ClientCertSha256}")]
        public static partial void Access(ILogger logger, string method, string path, int status, double durationMs, string endpoint, string deployment, string requestId, string client,
            string subject, string clientCertSubject, string clientCertSan, string clientCertSha256);
    }
}
