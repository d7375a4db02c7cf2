namespace ScoreGate.Router.Tls;

/// <summary>The spellings of <see cref="ClientCertificateMode"/> in settings, flags and <c>tls show</c>.</summary>
public static class ClientCertificateModes
{
    /// <param name="text">"required" or "optional" (any case); null means required, the default with a client CA.</param>
    /// <param name="mode">The mode, or <see cref="ClientCertificateMode.Required"/> when the text is not one.</param>
    public static bool TryParse(string? text, out ClientCertificateMode mode)
    {
        mode = ClientCertificateMode.Required;
        if (text is null || text.Trim().Equals("required", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (text.Trim().Equals("optional", StringComparison.OrdinalIgnoreCase))
        {
            mode = ClientCertificateMode.Optional;
            return true;
        }

        return false;
    }

    public static string Name(ClientCertificateMode mode) => mode == ClientCertificateMode.Optional ? "optional" : "required";
}
