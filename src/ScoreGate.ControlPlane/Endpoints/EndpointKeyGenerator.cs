using System.Buffers.Text;
using System.Security.Cryptography;

namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>Endpoint keys: 256 random bits, base64url without padding (43 characters, safe in headers).</summary>
public static class EndpointKeyGenerator
{
    public static string NewKey() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>An endpoint's incarnation (see <see cref="Store.EndpointRecord.Incarnation"/>): 64 random bits, enough to never repeat for one name.</summary>
    public static string NewIncarnation() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
