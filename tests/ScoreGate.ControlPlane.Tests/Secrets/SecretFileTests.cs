using ScoreGate.ControlPlane.Secrets;

namespace ScoreGate.ControlPlane.Tests.Secrets;

public sealed class SecretFileTests
{
    [Fact]
    public void LoadOrCreate_NewFile_IsPrivateAndStable()
    {
        using var dir = new TempDirectory();
        var path = dir.File("state/master.key");

        var first = SecretFile.LoadOrCreate(path, 32);
        var second = SecretFile.LoadOrCreate(path, 32);

        Assert.Equal(first, second);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir.File("state")));
    }

    [Fact]
    public void Load_ReadableByOthers_IsRefusedWithChmod()
    {
        using var dir = new TempDirectory();
        var path = dir.File("master.key");
        SecretFile.LoadOrCreate(path, 32);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<SecretFileException>(() => SecretFile.Load(path, 32));

        Assert.Equal($"'{path}' can be read by other users (mode 604). Make it private with: chmod 600 '{path}'.", error.Message);
    }

    [Fact]
    public void Load_MountedKeyReadableByItsGroup_IsAcceptedOnlyWhenAllowed_AndNeverWhenOthersCanRead()
    {
        using var dir = new TempDirectory();
        var path = dir.File("master.key");
        var key = SecretFile.LoadOrCreate(path, 32);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead);

        Assert.Equal(key, SecretFile.Load(path, 32, allowGroupRead: true));
        Assert.Throws<SecretFileException>(() => SecretFile.Load(path, 32));

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var error = Assert.Throws<SecretFileException>(() => SecretFile.Load(path, 32, allowGroupRead: true));
        Assert.Equal($"'{path}' can be read by other users (mode 444). Make it private with: chmod 600 '{path}'.", error.Message);
    }

    [Fact]
    public void Load_Damaged_IsRefusedSayingWhatItShouldHold()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("master.key", "not base64!");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Assert.Throws<SecretFileException>(() => SecretFile.Load(path, 32));

        Assert.Equal($"'{path}' is damaged: it should hold 32 random bytes in base64. Restore it from a backup; without it the stored keys cannot be read.", error.Message);
    }

    [Fact]
    public void AdminToken_Matches_OnlyItsOwnValue()
    {
        using var dir = new TempDirectory();
        var token = AdminToken.LoadOrCreate(dir.Path);

        Assert.True(AdminToken.Load(dir.Path).Matches(token.Value));
        Assert.False(token.Matches(token.Value[..^2] + "AA"));
        Assert.False(token.Matches("short"));
        Assert.Equal("AdminToken(****)", token.ToString());
    }
}
