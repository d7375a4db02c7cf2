using Microsoft.AspNetCore.Http;
using ScoreGate.Router.Forwarding;

namespace ScoreGate.Router.Tests.Forwarding;

public class ClientBodyRefusalTests
{
    private static readonly DataPlaneOptions Settings = new() { MaxRequestBodyBytes = 1000, MinRequestBodyDataRate = 100 };

    [Theory]
    [InlineData(StatusCodes.Status413PayloadTooLarge, "The request body is larger than this router accepts: at most 1000 bytes (maxRequestBodyBytes). Send a smaller body (split the batch), or raise maxRequestBodyBytes.")]
    [InlineData(StatusCodes.Status408RequestTimeout, "The request body arrived too slowly: under 100 bytes per second after a 5 s grace period (minRequestBodyDataRate). Send the body as fast as the network allows, or lower minRequestBodyDataRate.")]
    [InlineData(StatusCodes.Status400BadRequest, "The request body could not be read: it is malformed (bad chunked encoding, or shorter than its Content-Length). Send a body whose Content-Length matches it, or valid chunked encoding.")]
    public void For_KestrelsBadRequest_KeepsItsStatus_NamesTheSettingAndFix(int status, string message)
    {
        var refusal = ClientBodyRefusal.For(new BadHttpRequestException("kestrel's text", status), Settings);

        Assert.Equal(new ClientBodyRefusal(status, message), refusal);
    }

    [Fact]
    public void For_OtherClientSideFailure_Is400()
    {
        Assert.Equal(StatusCodes.Status400BadRequest, ClientBodyRefusal.For(new IOException("reset"), Settings).Status);
    }
}
