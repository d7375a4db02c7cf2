using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Testing;

/// <summary>How test clients trust a router: its certificate chains to the test CA and names localhost.</summary>
public static class LocalhostTrust
{
    public static bool ChainsTo(X509Certificate? presented, X509Certificate2 root)
    {
        if (presented is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(presented);
        return chain.Build(leaf) && leaf.MatchesHostname("localhost");
    }
}
