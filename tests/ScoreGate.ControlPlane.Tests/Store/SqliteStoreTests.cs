using System.Text;
using ScoreGate.ControlPlane.Secrets;
using ScoreGate.ControlPlane.Store;

namespace ScoreGate.ControlPlane.Tests.Store;

public sealed class SqliteStoreTests : StoreContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    private string DatabasePath => _dir.File("scoregate.db");

    [Fact]
    public async Task Open_NewFile_IsPrivate()
    {
        await OpenAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(DatabasePath));
    }

    public void Dispose() => _dir.Dispose();

    protected override Task<SqlStore> OpenStoreAsync(SecretProtector secrets) => SqlStore.OpenSqliteAsync(DatabasePath, secrets);

    protected override async Task<string> StoredTextAsync() => Encoding.UTF8.GetString(await File.ReadAllBytesAsync(DatabasePath));
}
