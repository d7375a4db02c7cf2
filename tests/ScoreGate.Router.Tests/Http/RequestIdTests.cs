using ScoreGate.Router.Http;

namespace ScoreGate.Router.Tests.Http;

public class RequestIdTests
{
    [Fact]
    public void New_IsAVersion4Uuid()
    {
        var id = RequestId.New();

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
        Assert.Equal(4, Guid.Parse(id).Version);
    }

    [Fact]
    public void New_DoesNotRepeat()
    {
        var ids = Enumerable.Range(0, 100_000).Select(_ => RequestId.New()).ToHashSet();

        Assert.Equal(100_000, ids.Count);
    }
}
