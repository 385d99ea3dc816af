// The local and demo OpenID Connect provider: panva/oidc-provider (OpenID Certified), with the demo council's
// people, its first-party clients and a plain, accessible sign-in page.
//
// A council runs its own provider (Entra ID and similar); the services only need its issuer and audience. This
// one exists so that `run-system`, the tests and the browser tests use a real authorization server: the
// authorization code flow with PKCE for people, client credentials for council systems, and JWT access tokens
// signed with keys published at the issuer's jwks_uri.
//
// Usage: node provider.mjs <config.json>   (deploy/local/infra.py writes the config; see identity_provider.py)
import { createHash, generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { issuer, port, host = '127.0.0.1', audience, scope } = config;
const people = new Map(config.people.map((person) => [person.username, person]));

// Signing keys survive restarts of the same profile, so tokens issued before a restart stay verifiable.
function signingKeys() {
  if (config.keys_file && existsSync(config.keys_file)) return JSON.parse(readFileSync(config.keys_file, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: randomBytes(8).toString('hex') };
  const keys = { keys: [jwk] };
  if (config.keys_file) writeFileSync(config.keys_file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

function sameSecret(given, expected) {
  const a = createHash('sha256').update(String(given)).digest();
  const b = createHash('sha256').update(String(expected)).digest();
  return timingSafeEqual(a, b);
}

function claimsOf(person) {
  return {
    sub: person.username,
    name: person.name,
    preferred_username: person.username,
    email: person.email,
    email_verified: true,
    roles: person.roles,
    council: person.council ?? null,
  };
}

const provider = new Provider(issuer, {
  clients: config.clients,
  extraClientMetadata: { properties: ['roles', 'loopback_any_port'] },
  async findAccount(ctx, id) {
    const person = people.get(id);
    if (!person) return undefined;
    return { accountId: id, async claims() { return claimsOf(person); } };
  },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username', 'roles', 'council'],
    email: ['email', 'email_verified'],
  },
  scopes: ['openid', 'profile', 'email', 'offline_access', scope],
  jwks: signingKeys(),
  cookies: { keys: [config.cookie_secret] },
  pkce: { required: () => true },
  ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope,
        audience,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  // Access tokens carry who the person is and what they may do, so a service needs only the signing keys.
  async extraTokenClaims(ctx, token) {
    if (token.accountId) {
      const person = people.get(token.accountId);
      if (!person) return {};
      const { name, preferred_username, email, roles, council } = claimsOf(person);
      return { name, preferred_username, email, roles, council };
    }
    const client = await ctx.oidc.provider.Client.find(token.clientId);
    return { name: client?.client_name ?? token.clientId, roles: client?.roles ?? [] };
  },
  // First-party clients only: the person consents by signing in; no separate consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const grant = await ctx.oidc.provider.Grant.find(grantId);
      if (grant) return grant;
    }
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(`openid profile email ${scope}`);
    grant.addResourceScope(audience, scope);
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Sign-in problem', `<h1>Sign-in problem</h1><p>${escape(out.error_description || out.error)}</p>`);
  },
});
provider.proxy = Boolean(config.behind_proxy);

// Local apps (the workbench, the approvals pages) run on whatever loopback port a developer or a test chose:
// RFC 8252 section 7.3 lets a loopback redirect URI use any port. Only clients marked loopback_any_port get this.
const redirectUriAllowed = provider.Client.prototype.redirectUriAllowed;
provider.Client.prototype.redirectUriAllowed = function allowed(value) {
  if (redirectUriAllowed.call(this, value)) return true;
  if (!this.loopback_any_port) return false;
  let asked;
  try { asked = new URL(value); } catch { return false; }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(asked.hostname)) return false;
  return this.redirectUris.some((registered) => {
    const known = new URL(registered);
    return known.hostname === asked.hostname && known.pathname === asked.pathname && known.protocol === asked.protocol;
  });
};

function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} - ${escape(config.council_name)}</title>
<style>body{font-family:Arial,sans-serif;font-size:19px;line-height:1.3;margin:0;color:#0b0c0c}
header{background:#0b0c0c;color:#fff;padding:10px 15px;font-weight:700}main{max-width:640px;margin:0 auto;padding:20px 15px}
label{display:block;font-weight:700;margin:20px 0 5px}input{font-size:19px;padding:5px;width:100%;max-width:20em;border:2px solid #0b0c0c;box-sizing:border-box}
input:focus,button:focus{outline:3px solid #fd0;box-shadow:inset 0 0 0 2px #0b0c0c}
button{margin-top:25px;font-size:19px;padding:8px 12px;background:#00703c;color:#fff;border:0;box-shadow:0 2px 0 #002d18;cursor:pointer}
.error{border-left:5px solid #d4351c;padding-left:15px;color:#d4351c;font-weight:700}</style></head>
<body><header>${escape(config.council_name)}</header><main id="main-content">${body}</main></body></html>`;
}

function signInForm(uid, { login = '', problem } = {}) {
  const error = problem ? `<p class="error" id="problem" role="alert">${escape(problem)}</p>` : '';
  return page('Sign in', `<h1>Sign in</h1>${error}
<form method="post" action="/interaction/${escape(uid)}/login" novalidate>
<label for="login">Username</label><input id="login" name="login" autocomplete="username" value="${escape(login)}"${problem ? ' aria-describedby="problem"' : ''}>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button></form>`);
}

async function formBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// The sign-in interaction, in front of the provider's own routes.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  const [, uid, login] = match;
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== uid) ctx.throw(400, 'interaction mismatch');
  ctx.set('cache-control', 'no-store');
  if (!login && ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = signInForm(uid);
    return undefined;
  }
  if (login && ctx.method === 'POST') {
    const form = await formBody(ctx.req);
    const person = people.get(form.get('login') ?? '');
    if (!person || !sameSecret(form.get('password') ?? '', person.password)) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = signInForm(uid, { login: form.get('login') ?? '', problem: 'The username or password is not right' });
      return undefined;
    }
    const result = { login: { accountId: person.username } };
    return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
  }
  return ctx.throw(405);
});

provider.listen(port, host, () => {
  console.log(`identity provider ${issuer} listening on ${host}:${port}`);
});
