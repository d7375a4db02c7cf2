using System.Reflection;

namespace ScoreGate.Testing;

/// <summary>Where the repository and the built <c>scoregate</c> are, as recorded at build time.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    /// <summary>The built executable; test projects build it first through a project reference.</summary>
    public static string ScoreGateDll { get; } =
        Path.Combine(Root, "src", "ScoreGate", "bin", Metadata("Configuration"), "net10.0", "scoregate.dll");

    /// <summary>The sample model, built beside scoregate (it honours PORT): a real model process for tests.</summary>
    public static string SampleModelDll { get; } = Path.Combine(Path.GetDirectoryName(ScoreGateDll)!, "ScoreGate.SampleModel.dll");

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
