using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Http;
using ScoreGate.Router.Forwarding.Http1;
using ScoreGate.Router.Metrics;
using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Forwarding;

/// <summary>
/// Sends copies of live requests to an endpoint's mirror deployment (Azure ML's
/// <c>mirror_traffic</c>) and throws the answers away. A copy never waits: it is dropped when
/// the body is too large to hold, when <see cref="MaxInFlight"/> copies are already out, or when
/// every mirror instance is busy. Nothing about a copy can change, delay or fail the live answer.
/// </summary>
/// <remarks>Copies to http:// models go through the router's own client (<see cref="HeldRequestSender"/>), to https:// ones through the platform's.</remarks>
public sealed class TrafficMirror(HeldRequestSender http, HttpMessageInvoker models, RouterMetrics metrics)
{
    /// <summary>Copies out at once, over all endpoints: bounds the memory and sockets mirroring can take.</summary>
    public const int MaxInFlight = 64;

    /// <summary>Bodies up to this size are held for a copy; larger ones are not mirrored.</summary>
    public const int MaxBodyBytes = 1 << 20;

    private int _inFlight;

    /// <summary>
    /// Reads the body (so live and copy send the same bytes), puts it back for the live request,
    /// and starts the copy.
    /// </summary>
    public async Task MirrorAsync(HttpContext context, string endpoint, DeploymentRoute mirror, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(mirror);
        var request = context.Request;
        if (request.ContentLength is not { } length || length > MaxBodyBytes)
        {
            metrics.Mirrored(endpoint, mirror.Name, "skipped");
            return;
        }

        if (Interlocked.Increment(ref _inFlight) > MaxInFlight || mirror.Pool.TryAdmitNow() is not { } lease)
        {
            Interlocked.Decrement(ref _inFlight);
            metrics.Mirrored(endpoint, mirror.Name, "skipped");
            return;
        }

        try
        {
            var body = new byte[length];
            await request.Body.ReadExactlyAsync(body, context.RequestAborted);
            request.Body = new MemoryStream(body, writable: false);
            var target = lease.Instance.TargetFor(modelPath, request.QueryString.Value);
            if (target.Scheme == Uri.UriSchemeHttp)
            {
                // The head is written now: the live request's headers are gone once it has been answered.
                var head = new ArrayBufferWriter<byte>(1024);
                RequestHeadWriter.Write(head, context, target, length, chunked: false);
                _ = SendHeldAsync(target, head.WrittenMemory, body, lease, endpoint, mirror);
                return;
            }

            var copy = new HttpRequestMessage(HttpMethod.Parse(request.Method), target)
            {
                Version = HttpVersion.Version11,
                Content = new ByteArrayContent(body),
            };
            ForwardedHeaders.CopyToModel(context, copy);
            _ = SendAsync(copy, lease, endpoint, mirror);
        }
        catch
        {
            lease.Dispose();
            Interlocked.Decrement(ref _inFlight);
            throw;
        }
    }

    private async Task SendHeldAsync(Uri target, ReadOnlyMemory<byte> head, byte[] body, InstancePool.Lease lease, string endpoint, DeploymentRoute mirror)
    {
        var outcome = "failed";
        try
        {
            using var timeout = new CancellationTokenSource(mirror.Limits.RequestTimeout);
            var status = await http.SendAsync(target, head, body, timeout.Token).ConfigureAwait(false);
            outcome = status switch
            {
                null => "failed",
                >= 200 and <= 299 => "answered",
                _ => "model_error",
            };
        }
        finally
        {
            lease.Dispose();
            Interlocked.Decrement(ref _inFlight);
            metrics.Mirrored(endpoint, mirror.Name, outcome);
        }
    }

    private async Task SendAsync(HttpRequestMessage copy, InstancePool.Lease lease, string endpoint, DeploymentRoute mirror)
    {
        var outcome = "failed";
        try
        {
            using var timeout = new CancellationTokenSource(mirror.Limits.RequestTimeout);
            using var response = await models.SendAsync(copy, timeout.Token).ConfigureAwait(false);
            outcome = response.IsSuccessStatusCode ? "answered" : "model_error";
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
        {
            // A failed copy is counted, never reported to the caller.
        }
        finally
        {
            copy.Dispose();
            lease.Dispose();
            Interlocked.Decrement(ref _inFlight);
            metrics.Mirrored(endpoint, mirror.Name, outcome);
        }
    }
}
