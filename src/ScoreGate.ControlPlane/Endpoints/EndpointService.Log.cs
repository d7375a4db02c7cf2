using Microsoft.Extensions.Logging;

namespace ScoreGate.ControlPlane.Endpoints;

public sealed partial class EndpointService
{
    /// <summary>What changed and where; never a key.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 41, EventName = nameof(Router.EventIds.EndpointChanged), Level = LogLevel.Information, Message = "Endpoint {Endpoint}: {Change}.")]
        public static partial void EndpointChanged(ILogger logger, string endpoint, string change);

        [LoggerMessage(EventId = 42, EventName = nameof(Router.EventIds.DeploymentChanged), Level = LogLevel.Information, Message = "Endpoint {Endpoint}: deployment {Deployment} {Change}.")]
        public static partial void DeploymentChanged(ILogger logger, string endpoint, string deployment, string change);

        [LoggerMessage(EventId = 43, EventName = nameof(Router.EventIds.KeysRegenerated), Level = LogLevel.Information, Message = "Endpoint {Endpoint}: {KeyType} key regenerated.")]
        public static partial void KeysRegenerated(ILogger logger, string endpoint, string keyType);
    }
}
