using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScoreGate.SampleModel;

/// <summary>
/// Multinomial logistic regression over the four Iris measurements, with weights trained
/// offline by training/train_iris.py and shipped as iris-weights.json.
/// </summary>
public sealed partial class IrisModel
{
    private readonly double[][] _coefficients;
    private readonly double[] _intercepts;

    private IrisModel(IReadOnlyList<string> classes, double[][] coefficients, double[] intercepts)
    {
        Classes = classes;
        _coefficients = coefficients;
        _intercepts = intercepts;
    }

    public IReadOnlyList<string> Classes { get; }

    public const int FeatureCount = 4;

    public static IrisModel LoadEmbedded()
    {
        using var stream = typeof(IrisModel).Assembly.GetManifestResourceStream("iris-weights.json")
            ?? throw new InvalidOperationException("iris-weights.json is not embedded in the sample model.");
        var weights = JsonSerializer.Deserialize(stream, WeightsJson.Default.Weights)
            ?? throw new InvalidOperationException("iris-weights.json is empty.");
        return new IrisModel(weights.Classes, weights.Coefficients, weights.Intercepts);
    }

    /// <returns>The class probabilities of one flower, in <see cref="Classes"/> order.</returns>
    public double[] Predict(ReadOnlySpan<double> features)
    {
        var scores = new double[_intercepts.Length];
        for (var k = 0; k < scores.Length; k++)
        {
            var z = _intercepts[k];
            for (var j = 0; j < FeatureCount; j++)
            {
                z += _coefficients[k][j] * features[j];
            }

            scores[k] = z;
        }

        // Softmax, shifted by the largest score so exp() cannot overflow.
        var max = scores.Max();
        var total = 0.0;
        for (var k = 0; k < scores.Length; k++)
        {
            scores[k] = Math.Exp(scores[k] - max);
            total += scores[k];
        }

        for (var k = 0; k < scores.Length; k++)
        {
            scores[k] /= total;
        }

        return scores;
    }

    private sealed record Weights(string[] Classes, double[][] Coefficients, double[] Intercepts);

    /// <summary>The weights file's reader, generated at build time (no reflection: runs in the Native AOT binary).</summary>
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(Weights))]
    private sealed partial class WeightsJson : JsonSerializerContext;
}
