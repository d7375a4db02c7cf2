namespace ScoreGate.ControlPlane.Settings;

/// <summary>One router setting as users name it (DESIGN.md §2), with its default and meaning.</summary>
/// <param name="Name">The name in scoregate.json, as <c>--Name</c>, and as <c>SCOREGATE_Name</c>.</param>
/// <param name="Default">The value used when none is given, as text; null when there is none.</param>
/// <param name="Description">One line for <c>--help</c> and the README's table.</param>
public sealed record RouterSetting(string Name, string? Default, string Description);
