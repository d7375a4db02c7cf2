using ScoreGate.Certificates.Renewal;

namespace ScoreGate.Certificates.Tests.Renewal;

public sealed class RenewalScheduleTests
{
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.0, 60)]   // a 90-day certificate renews with 30 days left...
    [InlineData(1.0, 57)]   // ...or up to 3 days earlier with full jitter
    public void RenewAt_NinetyDayCertificate_WhenAThirdRemains(double jitter, int expectedDay)
    {
        Assert.Equal(Issued.AddDays(expectedDay), RenewalSchedule.RenewAt(Issued, Issued.AddDays(90), jitter));
    }

    [Fact]
    public void Next_AriWindowEarlier_WinsOverLifetime()
    {
        var now = Issued.AddDays(12).AddHours(-2);

        Assert.Equal(Issued.AddDays(12), RenewalSchedule.Next(Issued, Issued.AddDays(60), Issued.AddDays(12), now));
    }

    [Fact]
    public void Next_AriSaysRenewAtOnceRightAfterIssuance_WaitsTheMinimumAge()
    {
        var now = Issued.AddMinutes(5);

        Assert.Equal(Issued.AddHours(1), RenewalSchedule.Next(Issued, Issued.AddDays(60), Issued, now));
    }

    [Fact]
    public void Next_AriWindowFarAway_RechecksAriEverySixHours()
    {
        var now = Issued.AddDays(1);

        Assert.Equal(now.AddHours(6), RenewalSchedule.Next(Issued, Issued.AddDays(60), Issued.AddDays(50), now));
    }

    [Fact]
    public void Next_NoAri_UsesTheLifetimeRule()
    {
        Assert.Equal(Issued.AddDays(60), RenewalSchedule.Next(Issued, Issued.AddDays(60), null, Issued.AddDays(1)));
    }

    [Fact]
    public void InWindow_WindowInThePast_IsNow()
    {
        var now = Issued.AddDays(5);

        Assert.Equal(now, RenewalSchedule.InWindow(Issued.AddDays(1), Issued.AddDays(2), now, 0.5));
        Assert.Equal(Issued.AddDays(7), RenewalSchedule.InWindow(Issued.AddDays(6), Issued.AddDays(8), now, 0.5));
    }

    [Theory]
    [InlineData(1, null, 1)]
    [InlineData(2, null, 2)]
    [InlineData(4, null, 8)]
    [InlineData(30, null, 360)]      // capped at 6 hours, never more
    [InlineData(1, 600, 600)]        // Retry-After is honoured when longer
    [InlineData(1, 10_000, 1440)]    // but never beyond a day
    public void Backoff_DoublesFromOneMinuteToSixHours_HonouringRetryAfter(int failures, int? retryAfterMinutes, int expectedMinutes)
    {
        var retryAfter = retryAfterMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : (TimeSpan?)null;

        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), RenewalSchedule.Backoff(failures, retryAfter));
    }
}
