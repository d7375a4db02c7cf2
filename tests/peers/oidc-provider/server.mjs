// TEST-ONLY OpenID Connect provider for ScoreGate's aad_token tests: a real oidc-provider
// (pinned in package.json) that issues client-credentials access tokens as JWTs for an
// audience, plus a control port that rotates the signing key and signs crafted tokens.
// Never deploy this: the control port signs anything it is asked to, without authentication.
//
// Usage: node server.mjs <config.json>
// config.json (written by tests/ScoreGate.Testing/OidcProviderServer.cs; it holds client
// secrets, so it is a file and not arguments, which show up in process listings):
// {
//   "port": 24001, "controlPort": 24002, "issuer": "https://127.0.0.1:24001" (optional),
//   "certificate": "cert.pem", "key": "key.pem",     (the HTTPS listener's PEM files)
//   "keysFile": "keys.json",   (the signing keys; created when missing, kept across restarts)
//   "alg": "RS256" | "PS256" | "ES256",                (default RS256)
//   "accessTokenTtl": 3600,                             (seconds)
//   "clients": [{ "client_id": "scorer", "client_secret": "...", "roles": ["scorer"], "scope": "score" }]
// }
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';

// oidc-provider 9 calls URL.parse (Node.js 20.18 and later): on an older Node.js (Debian 12's
// own nodejs is 18) it would fail deep inside; say why instead, before loading it.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 18)) {
  console.error(`oidc-provider 9 needs Node.js 20.18 or later; this is ${process.versions.node}`);
  process.exit(2);
}
const { Provider } = await import('oidc-provider');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const alg = config.alg ?? 'RS256';
const issuer = config.issuer ?? `https://127.0.0.1:${config.port}`;
const clients = config.clients ?? [];
const allScopes = [...new Set(clients.flatMap((c) => (c.scope ?? '').split(' ').filter(Boolean)))];

// Audiences that are not absolute URIs (an Entra application id is a bare GUID) cannot be a
// resource indicator (RFC 8707), so tests ask for them through this prefix.
const audiencePrefix = 'urn:scoregate-test:audience:';

function generateKey(algorithm) {
  const { privateKey } = algorithm.startsWith('ES')
    ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: crypto.randomUUID(), use: 'sig', alg: algorithm };
}

// keys[0] signs; the rest stay published so tokens signed before a rotation still verify,
// as a real provider keeps its previous key in the JWKS for a while.
function loadKeys() {
  if (fs.existsSync(config.keysFile)) {
    return JSON.parse(fs.readFileSync(config.keysFile, 'utf8'));
  }
  const keys = [generateKey(alg)];
  saveKeys(keys);
  return keys;
}

function saveKeys(keys) {
  fs.writeFileSync(config.keysFile, JSON.stringify(keys), { mode: 0o600 });
}

let keys = loadKeys();
let provider = createProvider(keys);
let handler = provider.callback();

function createProvider(signingKeys) {
  const current = signingKeys[0];
  const created = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: c.scope ?? '',
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: signingKeys },
    scopes: ['openid', ...allScopes],
    // Random per start: there are no browser sessions here, this only silences the warning.
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    clientDefaults: { id_token_signed_response_alg: current.alg },
    features: {
      // Dev interactions are a login UI for authorization codes; client credentials need none.
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, resourceIndicator) => ({
          audience: resourceIndicator.startsWith(audiencePrefix)
            ? decodeURIComponent(resourceIndicator.slice(audiencePrefix.length))
            : resourceIndicator,
          scope: allScopes.join(' '),
          accessTokenTTL: config.accessTokenTtl ?? 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: current.alg, kid: current.kid } },
        }),
      },
    },
    // Entra puts application permissions in "roles"; a client without roles gets no such claim.
    extraTokenClaims: (_ctx, token) => {
      const client = clients.find((c) => c.client_id === token.clientId);
      return client?.roles ? { roles: client.roles } : undefined;
    },
    interactions: { url: () => '/interaction-unsupported' },
    ttl: {
      ClientCredentials: () => config.accessTokenTtl ?? 3600,
    },
  });
  // Errors go to stderr without request details (a token request carries the client secret).
  created.on('server_error', (_ctx, error) => console.error(`oidc-provider server_error: ${error.message}`));
  return created;
}

function base64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

// Signs exactly the claims given (tests choose iss, aud, exp...): JWS compact, RS*/PS*/ES*.
function signJwt(header, claims, jwk) {
  const input = `${base64url(header)}.${base64url(claims)}`;
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const hash = `sha${header.alg.slice(2)}`;
  let options = { key };
  if (header.alg.startsWith('PS')) {
    options = { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(header.alg.slice(2)) / 8 };
  } else if (header.alg.startsWith('ES')) {
    options = { key, dsaEncoding: 'ieee-p1363' };
  }
  const signature = crypto.sign(hash, Buffer.from(input), options);
  return `${input}.${signature.toString('base64url')}`;
}

async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function reply(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

const requestCounts = {};

// The provider object is replaced on rotation; the listener stays, so the port never changes.
const server = https.createServer({
  cert: fs.readFileSync(config.certificate),
  key: fs.readFileSync(config.key),
}, (request, response) => {
  // Counted by path only (no query, no headers: a token request carries the client secret), so
  // tests can see how often a relying party fetches discovery and the JWKS.
  const path = new URL(request.url, issuer).pathname;
  requestCounts[path] = (requestCounts[path] ?? 0) + 1;
  handler(request, response);
});

// TEST-ONLY control surface, plain HTTP on loopback, separate from the provider's port:
//   GET  /test/key    -> {"kid", "alg"} of the current signing key
//   GET  /test/requests -> {"/jwks": 2, ...}: requests to the provider per path since this start
//   POST /test/rotate {"retirePrevious": false} -> {"kid"}: a new key signs from now on and is
//        published first in the JWKS; previous keys stay published unless retirePrevious
//   POST /test/sign   {"claims": {...}, "alg"?, "header"?: {...}, "unpublishedKey"?: false}
//        -> {"token"}: the claims signed with the current key (or a fresh key the JWKS never
//        lists), header {"alg", "typ": "at+jwt", "kid"} merged with "header"
const control = http.createServer(async (request, response) => {
  try {
    const current = keys[0];
    if (request.method === 'GET' && request.url === '/test/key') {
      reply(response, 200, { kid: current.kid, alg: current.alg });
    } else if (request.method === 'GET' && request.url === '/test/requests') {
      reply(response, 200, requestCounts);
    } else if (request.method === 'POST' && request.url === '/test/rotate') {
      const body = await readJson(request);
      const next = generateKey(body.alg ?? current.alg);
      keys = body.retirePrevious ? [next] : [next, ...keys];
      saveKeys(keys);
      provider = createProvider(keys);
      handler = provider.callback();
      reply(response, 200, { kid: next.kid, alg: next.alg });
    } else if (request.method === 'POST' && request.url === '/test/sign') {
      const body = await readJson(request);
      const signAlg = body.alg ?? current.alg;
      const key = body.unpublishedKey ? generateKey(signAlg) : current;
      // Signing with the wrong key type would yield a token whose header lies about its
      // signature; a test that wants that sets "header": {"alg": ...} explicitly.
      if ((key.kty === 'EC') !== signAlg.startsWith('ES')) {
        reply(response, 400, { error: `the current key (${key.kty}) cannot sign ${signAlg}; rotate to such a key first` });
        return;
      }
      const header = { alg: signAlg, typ: 'at+jwt', kid: key.kid, ...body.header };
      reply(response, 200, { token: signJwt(header, body.claims ?? {}, key) });
    } else {
      reply(response, 404, { error: 'not_found' });
    }
  } catch (error) {
    reply(response, 500, { error: error.message });
  }
});

await new Promise((resolve) => { control.listen(config.controlPort, '127.0.0.1', resolve); });
await new Promise((resolve) => { server.listen(config.port, '127.0.0.1', resolve); });
console.log(`oidc-provider listening on ${issuer} (test control on http://127.0.0.1:${config.controlPort})`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
