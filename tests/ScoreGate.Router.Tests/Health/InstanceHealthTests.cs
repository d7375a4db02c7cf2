using ScoreGate.Router.Health;
using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Tests.Health;

public sealed class InstanceHealthTests
{
    private static readonly ProbeSettings Readiness = new("/health", InitialDelay: 10, Period: 5, SuccessThreshold: 2, FailureThreshold: 3);

    [Fact]
    public void Readiness_StartsFailing_PassesAfterSuccessThreshold_FailsAfterFailureThreshold()
    {
        var counter = new ProbeCounter(passing: false);

        counter.Record(true, Readiness);
        Assert.False(counter.Passing);
        counter.Record(true, Readiness);
        Assert.True(counter.Passing);

        counter.Record(false, Readiness);
        counter.Record(false, Readiness);
        counter.Record(true, Readiness);
        counter.Record(false, Readiness);
        counter.Record(false, Readiness);
        Assert.True(counter.Passing);
        counter.Record(false, Readiness);
        Assert.False(counter.Passing);
    }

    [Fact]
    public void Probes_WaitForTheInitialDelay_ThenComeOncePerPeriod_NeverTwoAtOnce()
    {
        var health = new InstanceHealth();
        var start = Environment.TickCount64;

        Assert.False(health.TryBeginProbe(ProbeKind.Readiness, Readiness, start + 9_000));
        Assert.True(health.TryBeginProbe(ProbeKind.Readiness, Readiness, start + 10_000));
        Assert.False(health.TryBeginProbe(ProbeKind.Readiness, Readiness, start + 20_000)); // still in flight
        Assert.True(health.TryBeginProbe(ProbeKind.Liveness, Readiness, start + 20_000)); // the other kind is separate

        health.EndProbe(ProbeKind.Readiness, true, Readiness);
        Assert.False(health.TryBeginProbe(ProbeKind.Readiness, Readiness, start + 14_000));
        Assert.True(health.TryBeginProbe(ProbeKind.Readiness, Readiness, start + 15_000));
    }

    [Fact]
    public void Passes_NeedsEveryConfiguredProbe_ReadinessFailingUntilItsFirstSuccess_LivenessPassingUntilItFails()
    {
        var health = new InstanceHealth();
        var once = Readiness with { SuccessThreshold = 1, FailureThreshold = 1 };

        Assert.False(health.Passes(hasReadiness: true, hasLiveness: false));
        Assert.True(health.Passes(hasReadiness: false, hasLiveness: true));

        health.EndProbe(ProbeKind.Readiness, true, once);
        Assert.True(health.Passes(hasReadiness: true, hasLiveness: true));

        health.EndProbe(ProbeKind.Liveness, false, once);
        Assert.False(health.Passes(hasReadiness: true, hasLiveness: true));
        Assert.True(health.Passes(hasReadiness: true, hasLiveness: false));
    }

    [Fact]
    public void Liveness_TurningToFailing_IsReportedOnce_AndARestartStartsTheProbesOver()
    {
        var health = new InstanceHealth();
        var twice = Readiness with { InitialDelay = 0, FailureThreshold = 2 };

        Assert.False(health.EndProbe(ProbeKind.Liveness, false, twice));
        Assert.True(health.EndProbe(ProbeKind.Liveness, false, twice));
        Assert.False(health.EndProbe(ProbeKind.Liveness, false, twice));

        var delayed = Readiness with { InitialDelay = 60 };
        health.Restarted();
        Assert.True(health.Passes(hasReadiness: false, hasLiveness: true));
        Assert.False(health.TryBeginProbe(ProbeKind.Liveness, delayed, Environment.TickCount64 + 1_000));
    }

    [Fact]
    public void NewRoute_WithReadinessProbe_NewInstancesWaitForIt_WithoutProbes_AllTakeRequests()
    {
        var probed = new DeploymentRoute("blue", [new Uri("http://a:1")], RequestLimits.Default, readiness: Readiness);
        Assert.False(probed.Instances[0].Ready);

        var unprobed = new DeploymentRoute("blue", [new Uri("http://a:1")], RequestLimits.Default, probed);
        Assert.Same(probed.Instances[0], unprobed.Instances[0]);
        Assert.True(unprobed.Instances[0].Ready);
    }
}
