using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScoreGate.Router.Auth;

namespace ScoreGate.Router.Tests.Auth;

public sealed class AllowedCallersTests
{
    [Theory]
    [InlineData("""{"roles":["a","Scorer"]}""", true)]
    [InlineData("""{"roles":"Scorer"}""", true)]
    [InlineData("""{"roles":["scorer"]}""", false)]
    [InlineData("""{}""", false)]
    public void Refuses_Roles_FromAnArrayOrAString_CaseSensitive(string payload, bool allowed)
    {
        Assert.Equal(allowed, new AllowedCallers(["Scorer"], [], []).Refuses(Token(payload)) is null);
    }

    [Theory]
    [InlineData("""{"scp":"read score.invoke"}""", true)]
    [InlineData("""{"scope":"openid score.invoke"}""", true)]
    [InlineData("""{"scp":["score.invoke"]}""", true)]
    [InlineData("""{"scope":"score"}""", false)]
    public void Refuses_Scopes_FromScpOrScope_SpaceSeparated(string payload, bool allowed)
    {
        Assert.Equal(allowed, new AllowedCallers([], ["score.invoke"], []).Refuses(Token(payload)) is null);
    }

    [Theory]
    [InlineData("""{"oid":"o-1","sub":"s-9"}""", true)]
    [InlineData("""{"sub":"o-1"}""", true)]
    [InlineData("""{"oid":"o-2","sub":"o-1"}""", false)]
    public void Refuses_Subjects_ByOidElseSub(string payload, bool allowed)
    {
        Assert.Equal(allowed, new AllowedCallers([], [], ["o-1"]).Refuses(Token(payload)) is null);
    }

    [Fact]
    public void Refuses_EveryListGiven_MustMatch_AndTheMessageNamesEachMissing()
    {
        var callers = new AllowedCallers(["Scorer"], ["score.invoke"], []);

        Assert.Null(callers.Refuses(Token("""{"roles":["Scorer"],"scp":"score.invoke"}""")));
        Assert.Equal("one of the roles 'Scorer' in its 'roles' claim; and one of the scopes 'score.invoke' in its 'scp' or 'scope' claim", callers.Refuses(Token("{}")));
    }

    [Fact]
    public void Anyone_AdmitsAnyToken() => Assert.Null(AllowedCallers.Anyone.Refuses(Token("{}")));

    /// <summary>Claims only: these tests are about reading them, not about signatures.</summary>
    private static JsonWebToken Token(string payload) =>
        new($"{Base64UrlEncoder.Encode("""{"alg":"none"}""")}.{Base64UrlEncoder.Encode(payload)}.");
}
