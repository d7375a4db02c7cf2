using ScoreGate.ControlPlane.Specs;

namespace ScoreGate.ControlPlane.Tests.Specs;

/// <summary>Endpoint files: auth_mode aad_token and ScoreGate's allowed_callers block.</summary>
public sealed class AllowedCallersSpecTests
{
    [Fact]
    public void AadTokenWithAllowedCallers_IsRead()
    {
        var read = EndpointSpecReader.Read("name: iris\nauth_mode: aad_token\nallowed_callers:\n  roles: [Scorer, Admin]\n  scopes: score.invoke\n");

        Assert.Empty(read.Problems);
        Assert.Equal("aad_token", read.Spec!.AuthMode);
        Assert.Equal(["Scorer", "Admin"], read.Spec.AllowedCallers!.Roles);
        Assert.Equal(["score.invoke"], read.Spec.AllowedCallers.Scopes);
        Assert.Empty(read.Spec.AllowedCallers.Subjects);
    }

    [Fact]
    public void WithoutAllowedCallers_AnyTokenOfTheProvider()
    {
        Assert.Null(EndpointSpecReader.Read("name: iris\nauth_mode: aad_token\n").Spec!.AllowedCallers);
    }

    [Theory]
    [InlineData("allowed_callers: Scorer\n", "3: allowed_callers: must be a mapping of fields.")]
    [InlineData("allowed_callers:\n  roles:\n    name: Scorer\n", "5: allowed_callers.roles: must be a list of values.")]
    [InlineData("allowed_callers:\n  groups: [a]\n", "4: allowed_callers.groups: is not a known field.")]
    [InlineData("allowed_caller:\n  roles: [a]\n", "3: allowed_caller: is not a known field. Did you mean 'allowed_callers'?")]
    public void BadShapes_AreRefused_AtTheirFieldAndLine(string block, string problem)
    {
        var read = EndpointSpecReader.Read("name: iris\nauth_mode: aad_token\n" + block);

        Assert.Null(read.Spec);
        Assert.StartsWith(problem, read.Problems.Select(p => $"{p.Line}: {p.Field}: {p.Message}").Single(), StringComparison.Ordinal);
    }
}
