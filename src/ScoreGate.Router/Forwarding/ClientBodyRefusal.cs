using Microsoft.AspNetCore.Http;

namespace ScoreGate.Router.Forwarding;

/// <summary>The answer to a request whose body failed on the client's side: 413, 408 or 400, naming the limit and its setting.</summary>
/// <param name="Status">413 too large, 408 too slow, 400 malformed.</param>
/// <param name="Message">What was wrong and how to fix it.</param>
internal sealed record ClientBodyRefusal(int Status, string Message)
{
    public static ClientBodyRefusal TooLarge(DataPlaneOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(StatusCodes.Status413PayloadTooLarge,
            $"The request body is larger than this router accepts: at most {settings.MaxRequestBodyBytes} bytes ({DataPlaneSettingNames.MaxRequestBodyBytes}). " +
            $"Send a smaller body (split the batch), or raise {DataPlaneSettingNames.MaxRequestBodyBytes}.");
    }

    /// <summary>Kestrel reports what went wrong with the body as a bad request with the status to send (413, 408 or 400).</summary>
    public static ClientBodyRefusal For(Exception failure, DataPlaneOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return (failure as BadHttpRequestException)?.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => TooLarge(settings),
            StatusCodes.Status408RequestTimeout => new(StatusCodes.Status408RequestTimeout,
                $"The request body arrived too slowly: under {settings.MinRequestBodyDataRate} bytes per second after a 5 s grace period ({DataPlaneSettingNames.MinRequestBodyDataRate}). " +
                $"Send the body as fast as the network allows, or lower {DataPlaneSettingNames.MinRequestBodyDataRate}."),
            _ => new(StatusCodes.Status400BadRequest,
                "The request body could not be read: it is malformed (bad chunked encoding, or shorter than its Content-Length). " +
                "Send a body whose Content-Length matches it, or valid chunked encoding."),
        };
    }
}
