// Signing in with OpenID Connect in a real browser, with JavaScript on and off, against a real
// provider the test starts (PyPI's oidc-provider-mock: a login form where one types the subject,
// and PUT /users/{sub} to set its claims). An organiser gets a new account from an allowed domain,
// another links the provider to an account with a password and logs in with it, a commenter
// comments without giving an address, and a forged answer gets the refusal page. Each new page of
// ours passes axe (with JavaScript: axe runs in the page) and loads nothing from elsewhere; the
// provider is reached only when its button is pressed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertAccessible, launch, screenshot, visitor } from '../lib/browser.js';
import { startServer } from '../lib/server.js';

const PASSWORD = 'organiser password 1';
const COMMENTS = '/c/release-cai-guangye/comments';
let provider;
let issuer;
let server;
let browser;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Sets the claims the provider gives for `sub`. */
async function claims(sub, values) {
  const response = await fetch(`${issuer}/users/${encodeURIComponent(sub)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(values),
  });
  assert.equal(response.status, 204);
}

/** At the provider's login form: types the subject and authorizes. */
async function authorize(page, sub) {
  await page.waitForURL(`${issuer}/**`);
  await page.getByPlaceholder('sub').fill(sub);
  await page.getByRole('button', { name: 'Authorize' }).click();
}

/** The requests of a visitor to hosts other than ours and the provider's (its page's stylesheet is its own business). */
function foreign(v) {
  return v.foreign().filter((url) => !url.startsWith(issuer) && !url.startsWith('https://cdn.jsdelivr.net/'));
}

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  provider = spawn('python3', ['-m', 'oidc_provider_mock', '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  provider.stderr.on('data', (chunk) => { log += chunk; });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${issuer}/.well-known/openid-configuration`)).ok) break;
    } catch { /* not up yet */ }
    if (provider.exitCode !== null || i > 200) throw new Error(`oidc-provider-mock did not start (pip install 'oidc-provider-mock==0.3.4'):\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const config = join(mkdtempSync(join(tmpdir(), 'undersigned-oidc-')), 'undersigned.toml');
  writeFileSync(config, [
    '[[oidc]]',
    'id = "union"',
    'name = "Union Login"',
    `issuer = "${issuer}"`,
    'client_id = "undersigned-e2e"',
    'client_secret = "e2e-secret"',
    'organiser_domains = ["union.example"]',
    '',
  ].join('\n'));
  server = await startServer(['--config', config]);
  browser = await launch();
  for (const who of ['js', 'nojs']) {
    server.cli(['user', 'add', `lam-${who}@example.org`, '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
  provider?.kill('SIGTERM');
});

for (const javaScript of [true, false]) {
  const checkAxe = javaScript ? assertAccessible : async () => {};
  const how = javaScript ? 'js' : 'nojs';

  async function newVisitor() {
    const v = await visitor(browser, server.base, { javaScript });
    // The provider's page asks a CDN for a stylesheet: not reachable here, and not ours.
    await v.page.route('https://cdn.jsdelivr.net/**', (route) => route.abort());
    return v;
  }

  describe(`OpenID Connect ${javaScript ? 'with' : 'without'} JavaScript`, () => {
    it('gives an organiser of an allowed domain a new account with no role', async () => {
      await claims(`wong-${how}`, { email: `wong-${how}@union.example`, email_verified: true, name: 'Wong Ka-yan' });
      const v = await newVisitor();
      const { page } = v;
      await page.goto(`${server.base}/login`);
      await checkAxe(page, `login with providers (${how})`);
      await screenshot(page, `oidc-login-${how}`);
      assert.deepEqual(v.foreign(), [], 'nothing from the provider before its button is pressed');
      await page.getByRole('button', { name: 'Log in with Union Login' }).click();
      await authorize(page, `wong-${how}`);
      await page.waitForURL(`${server.base}/organise`);
      assert.match(await page.locator('body').textContent(), /Wong Ka-yan|wong-/);
      assert.deepEqual(foreign(v), []);
      await v.close();
    });

    it('links the provider to an account, then logs in with it', async () => {
      const v = await newVisitor();
      const { page } = v;
      await page.goto(`${server.base}/login`);
      await page.getByLabel('Email address').fill(`lam-${how}@example.org`);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await page.waitForURL('**/organise');
      await page.goto(`${server.base}/organise/account`);
      await page.getByRole('link', { name: 'Sign-in providers' }).click();
      await page.waitForURL('**/organise/account/sign-in');
      await checkAxe(page, `sign-in providers, not linked (${how})`);
      await page.getByRole('button', { name: 'Link Union Login' }).click();
      await authorize(page, `kc-lam-${how}`);
      await page.waitForURL('**/organise/account/sign-in');
      assert.match(await page.locator('main').textContent(), /linked since/);
      await checkAxe(page, `sign-in providers, linked (${how})`);
      await screenshot(page, `oidc-linked-${how}`);

      const again = await newVisitor();
      await again.page.goto(`${server.base}/login`);
      await again.page.getByRole('button', { name: 'Log in with Union Login' }).click();
      await authorize(again.page, `kc-lam-${how}`);
      await again.page.waitForURL(`${server.base}/organise`);
      assert.deepEqual(foreign(v), []);
      assert.deepEqual(foreign(again), []);
      await again.close();
      await v.close();
    });

    it('lets a commenter comment without an address, under the name typed', async () => {
      await claims(`commenter-${how}`, { email: `private-${how}@mail.example`, email_verified: true, name: 'Provider Name' });
      const v = await newVisitor();
      const { page } = v;
      await page.goto(`${server.base}${COMMENTS}`);
      await checkAxe(page, `comments with providers (${how})`);
      await page.getByRole('button', { name: 'Sign in with Union Login' }).click();
      await authorize(page, `commenter-${how}`);
      await page.waitForURL(`${server.base}${COMMENTS}`);
      await page.locator('#signed-in').waitFor();
      assert.equal(await page.getByLabel('Email address').count(), 0, 'no address asked');
      await checkAxe(page, `comments signed in (${how})`);
      await screenshot(page, `oidc-comment-${how}`);
      // The new comment's form (each comment has a reply form of its own, with the same labels).
      await page.locator('#f-name').fill(`Ka-yan ${how}`);
      await page.locator('#f-body').fill(`Free them all (${how}).`);
      await page.getByRole('button', { name: 'Send the comment' }).click();
      await page.getByRole('heading', { name: 'Your comment is published' }).waitFor();
      const other = await newVisitor();
      await other.page.goto(`${server.base}${COMMENTS}`);
      const text = await other.page.locator('main').textContent();
      assert.match(text, new RegExp(`Ka-yan ${how}`));
      assert.doesNotMatch(text, /private-|Provider Name/);
      assert.deepEqual(foreign(v), []);
      await other.close();
      await v.close();
    });

    it('refuses a forged answer with a page of its own', async () => {
      const v = await newVisitor();
      const { page } = v;
      const response = await page.goto(`${server.base}/login/oidc/callback?state=forged&code=forged`);
      assert.equal(response.status(), 400);
      await page.getByRole('heading', { name: 'Sign-in refused' }).waitFor();
      await checkAxe(page, `refused (${how})`);
      await v.close();
    });
  });
}
