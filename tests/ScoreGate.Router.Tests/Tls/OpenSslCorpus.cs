namespace ScoreGate.Router.Tests.Tls;

/// <summary>
/// Certificate files made by openssl, once per test class: what users bring, not what .NET
/// would make. The script is the corpus's definition; the cases live in <see cref="OpenSslCorpusTests"/>.
/// </summary>
public sealed class OpenSslCorpus : IAsyncLifetime
{
    private const string Script = """
        set -eu
        cd "$1"
        exec 2>openssl.log
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 3650 -subj "/CN=Corpus Root"
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout int.key -out int.csr -subj "/CN=Corpus Intermediate"
        printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > int.ext
        openssl x509 -req -in int.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -extfile int.ext -out int.pem
        leaf() {
          openssl req -new -key "$2" -out "$1.csr" -subj "/CN=$3"
          printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3" > "$1.ext"
          openssl x509 -req -in "$1.csr" -CA int.pem -CAkey int.key -CAcreateserial -days 90 -extfile "$1.ext" -out "$1.leaf"
          cat "$1.leaf" int.pem > "$1.pem"
        }
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key
        leaf www ec.key www.contoso.test
        cat int.pem www.leaf > www-reversed.pem
        openssl pkcs8 -topk8 -v2 aes-256-cbc -in ec.key -passout pass:s3cret -out ec-encrypted.key
        echo s3cret > passphrase.txt
        echo wrong > wrong-passphrase.txt
        openssl genrsa -traditional -aes256 -passout pass:s3cret -out legacy-encrypted.key 2048
        openssl x509 -in www.leaf -outform DER -out www.der
        openssl pkcs12 -export -in www.pem -inkey ec.key -passout pass:x -out www.pfx
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key
        openssl genrsa -out rsa1024.key 1024
        leaf weak rsa1024.key weak.contoso.test
        openssl genrsa -traditional -out rsa-pkcs1.key 2048
        leaf rsa rsa-pkcs1.key rsa.contoso.test
        openssl ecparam -name prime256v1 -genkey -noout -out ec-sec1.key
        leaf sec1 ec-sec1.key sec1.contoso.test
        leaf wild ec.key '*.contoso.test'
        mkdir -p ca-db && : > ca-db/index.txt && echo 1000 > ca-db/serial
        printf '[ca]\ndefault_ca=corpus\n[corpus]\ndatabase=ca-db/index.txt\nserial=ca-db/serial\nnew_certs_dir=ca-db\ndefault_md=sha256\npolicy=any\ncopy_extensions=copy\nunique_subject=no\n[any]\ncommonName=supplied\n' > ca.cnf
        for dated in "old 20200101000000Z 20200201000000Z" "future 20990101000000Z 20991231000000Z"; do
          set -- $dated
          openssl req -new -key ec.key -subj "/CN=$1.contoso.test" -addext "subjectAltName=DNS:$1.contoso.test" -out "$1.csr"
          openssl ca -batch -config ca.cnf -cert int.pem -keyfile int.key -in "$1.csr" -startdate "$2" -enddate "$3" -notext -out "$1.pem"
        done
        printf '\357\273\277' > bom-crlf.pem && sed 's/$/\r/' www.pem >> bom-crlf.pem
        sed 's/$/\r/' ec.key > crlf.key
        cat www.pem ec.key > combined.pem
        : > empty.pem
        echo "this is not a certificate" > garbage.pem
        """;

    private readonly TempDirectory _dir = new();

    public string Directory => _dir.Path;

    public string File(string name) => _dir.File(name);

    public async Task InitializeAsync()
    {
        using var run = await ProcessRun.RunAsync("bash", ["-c", Script, "corpus", _dir.Path], TimeSpan.FromMinutes(2));
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"Making the openssl corpus failed:\n{run.AllOutput}\n{await System.IO.File.ReadAllTextAsync(_dir.File("openssl.log"))}");
        }
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
