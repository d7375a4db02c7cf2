namespace ScoreGate.ControlPlane.Secrets;

/// <summary>The files ScoreGate keeps in <c>stateDir</c>.</summary>
public static class StateFiles
{
    public static string MasterKey(string stateDir) => Path.Combine(stateDir, "master.key");

    public static string AdminToken(string stateDir) => Path.Combine(stateDir, "admin.token");

    public static string Database(string stateDir) => Path.Combine(stateDir, "scoregate.db");

    public static string DevCa(string stateDir) => Path.Combine(stateDir, "dev-ca");
}
