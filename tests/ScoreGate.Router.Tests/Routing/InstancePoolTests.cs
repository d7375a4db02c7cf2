using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Tests.Routing;

public sealed class InstancePoolTests
{
    private static readonly RequestLimits OneAtATime = new(TimeSpan.FromSeconds(5), 1, TimeSpan.FromSeconds(30));

    private long _now = 1_000_000;

    [Fact]
    public async Task Admit_SpreadsByFewestInFlight_AndTiesTakeTurns()
    {
        var pool = Pool(new RequestLimits(TimeSpan.FromSeconds(5), 10, TimeSpan.Zero), "a", "b", "c");

        var leases = new List<InstancePool.Lease>();
        for (var i = 0; i < 9; i++)
        {
            leases.Add((await pool.AdmitAsync(default)).Lease!);
        }

        Assert.All(pool.Instances, i => Assert.Equal(3, i.Outstanding));
        leases.First(l => l.Instance.Url.Host == "b").Dispose();
        Assert.Equal("b", (await pool.AdmitAsync(default)).Lease!.Instance.Url.Host);
    }

    [Fact]
    public async Task Admit_AllBusyAndNoQueueWait_IsRefusedAsBusy()
    {
        var pool = Pool(OneAtATime with { MaxQueueWait = TimeSpan.Zero }, "a");
        using var held = (await pool.AdmitAsync(default)).Lease;

        var refused = await pool.AdmitAsync(default);

        Assert.Equal(AdmissionRefusal.Busy, refused.Refusal);
        Assert.Null(refused.Lease);
    }

    [Fact]
    public async Task Admit_Queued_GetsTheInstanceWhenItIsReleased_InArrivalOrder()
    {
        var pool = Pool(OneAtATime, "a");
        var held = (await pool.AdmitAsync(default)).Lease!;

        var first = pool.AdmitAsync(default).AsTask();
        var second = pool.AdmitAsync(default).AsTask();
        Assert.Equal(2, pool.Queued);
        Assert.False(first.IsCompleted);

        held.Dispose();
        var firstLease = (await first).Lease!;
        Assert.False(second.IsCompleted);
        Assert.Equal(1, pool.Instances[0].Outstanding);

        firstLease.Dispose();
        using var secondLease = (await second).Lease!;
        Assert.Equal(0, pool.Queued);
        Assert.Equal(1, pool.Instances[0].Outstanding);
    }

    [Fact]
    public async Task Admit_QueueWaitRunsOut_IsBusy_AndLeavesTheQueue()
    {
        var pool = Pool(OneAtATime with { MaxQueueWait = TimeSpan.FromMilliseconds(50) }, "a");
        using var held = (await pool.AdmitAsync(default)).Lease;

        var refused = await pool.AdmitAsync(default);

        Assert.Equal(AdmissionRefusal.Busy, refused.Refusal);
        Assert.Equal(0, pool.Queued);
        Assert.Equal(1, pool.Instances[0].Outstanding);
    }

    [Fact]
    public async Task Admit_ClientGoesAwayWhileQueued_IsClientGone_AndTheSlotIsNotLost()
    {
        var pool = Pool(OneAtATime, "a");
        var held = (await pool.AdmitAsync(default)).Lease!;
        using var client = new CancellationTokenSource();

        var waiting = pool.AdmitAsync(client.Token).AsTask();
        await client.CancelAsync();

        Assert.Equal(AdmissionRefusal.ClientGone, (await waiting).Refusal);
        held.Dispose();
        Assert.Equal(0, pool.Instances[0].Outstanding);
        Assert.NotNull((await pool.AdmitAsync(default)).Lease);
    }

    [Fact]
    public async Task Admit_NoReadyInstance_IsRefusedAsSuch()
    {
        var pool = Pool(OneAtATime, "a", "b");
        foreach (var instance in pool.Instances)
        {
            instance.Ready = false;
        }

        Assert.Equal(AdmissionRefusal.NoReadyInstance, (await pool.AdmitAsync(default)).Refusal);
        Assert.Equal(AdmissionRefusal.NoReadyInstance, (await Pool(OneAtATime).AdmitAsync(default)).Refusal);
    }

    [Fact]
    public async Task Admit_EjectedInstance_IsPassedOverWhileAnotherServes_AndBackAfterTheEjection()
    {
        var pool = Pool(new RequestLimits(TimeSpan.FromSeconds(5), 10, TimeSpan.Zero), "a", "b");
        var a = pool.Instances[0];
        a.ReportConnectionFailure(_now);

        for (var i = 0; i < 4; i++)
        {
            using var lease = (await pool.AdmitAsync(default)).Lease!;
            Assert.Equal("b", lease.Instance.Url.Host);
        }

        _now += (long)ModelInstance.FirstEjection.TotalMilliseconds;
        var hosts = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var lease = (await pool.AdmitAsync(default)).Lease!;
            hosts.Add(lease.Instance.Url.Host);
        }

        Assert.Contains("a", hosts);
    }

    [Fact]
    public async Task Admit_EveryInstanceEjected_StillTriesOne()
    {
        var pool = Pool(OneAtATime, "a");
        pool.Instances[0].ReportConnectionFailure(_now);

        using var lease = (await pool.AdmitAsync(default)).Lease;

        Assert.NotNull(lease);
    }

    [Fact]
    public void ConnectionFailures_DoubleTheEjection_UpToTheLongest_AndAnAnswerEndsIt()
    {
        var instance = new ModelInstance(new Uri("http://a:1"));
        instance.ReportConnectionFailure(_now);
        instance.ReportConnectionFailure(_now);
        Assert.True(instance.IsEjected(_now + 1999));
        Assert.False(instance.IsEjected(_now + 2000));

        for (var i = 0; i < 10; i++)
        {
            instance.ReportConnectionFailure(_now);
        }

        Assert.True(instance.IsEjected(_now + (long)ModelInstance.LongestEjection.TotalMilliseconds - 1));
        Assert.False(instance.IsEjected(_now + (long)ModelInstance.LongestEjection.TotalMilliseconds));

        instance.ReportAnswer();
        Assert.False(instance.IsEjected(_now));
    }

    [Fact]
    public async Task NewRoute_KeepsInstancesWhoseUrlIsUnchanged_WithTheirRequestsInFlight()
    {
        var before = new DeploymentRoute("blue", [new Uri("http://a:1"), new Uri("http://b:1")], OneAtATime);
        using var held = (await before.Pool.AdmitAsync(default)).Lease!;

        var after = new DeploymentRoute("blue", [held.Instance.Url, new Uri("http://c:1")], OneAtATime, before);

        Assert.Same(held.Instance, after.Instances[0]);
        Assert.Equal(1, after.Instances[0].Outstanding);
        Assert.Equal(0, after.Instances[1].Outstanding);
    }

    private InstancePool Pool(RequestLimits limits, params string[] hosts) =>
        new([.. hosts.Select(h => new ModelInstance(new Uri($"http://{h}:1")))], limits, () => _now);
}
