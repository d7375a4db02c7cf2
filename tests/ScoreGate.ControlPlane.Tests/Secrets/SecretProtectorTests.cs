using System.Security.Cryptography;
using ScoreGate.ControlPlane.Secrets;

namespace ScoreGate.ControlPlane.Tests.Secrets;

public sealed class SecretProtectorTests
{
    private readonly SecretProtector _protector = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Protect_ThenUnprotect_RoundTripsWithoutPlaintextInTheStoredForm()
    {
        var stored = _protector.Protect("the-key", "endpoint/IRIS/primary");

        Assert.StartsWith("v1:", stored);
        Assert.DoesNotContain("the-key", stored);
        Assert.Equal("the-key", _protector.Unprotect(stored, "endpoint/IRIS/primary"));
    }

    [Fact]
    public void Protect_SameSecretTwice_GivesDifferentCiphertexts()
    {
        Assert.NotEqual(_protector.Protect("k", "p"), _protector.Protect("k", "p"));
    }

    [Fact]
    public void Unprotect_OtherPurpose_Fails()
    {
        var stored = _protector.Protect("the-key", "endpoint/IRIS/primary");

        Assert.ThrowsAny<CryptographicException>(() => _protector.Unprotect(stored, "endpoint/OTHER/primary"));
    }

    [Fact]
    public void Unprotect_TamperedOrOtherMasterKey_Fails()
    {
        var stored = _protector.Protect("the-key", "p");
        var bytes = Convert.FromBase64String(stored[3..]);
        bytes[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => _protector.Unprotect("v1:" + Convert.ToBase64String(bytes), "p"));
        Assert.ThrowsAny<CryptographicException>(() => new SecretProtector(RandomNumberGenerator.GetBytes(32)).Unprotect(stored, "p"));
    }
}
