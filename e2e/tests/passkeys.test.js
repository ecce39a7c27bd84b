// Passkeys as a second factor in a real browser: Chromium's virtual authenticator (through the
// DevTools protocol: a platform authenticator with user verification) stands in for a laptop's.
// An organiser with TOTP on adds a passkey, logs out, and logs in with the password and the
// passkey; the passkey confirms a sensitive action; the pages pass axe and load nothing from
// elsewhere. Without JavaScript the pages say a passkey needs it and the code still works.
// The server's base URL is http://localhost:PORT: browsers take no IP address as a relying party.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launch, screenshot, visitor, logIn as logInAs } from '../lib/browser.js';
import { startServer } from '../lib/server.js';
import { freshStep, pyotp } from '../lib/totp.js';

const PASSWORD = 'organiser password 1';
const ENROL = '/organise/account/second-factor';
let server;
let browser;

/** Waits for the page at `path` (the glob `**\/organise` would match `login?next=/organise` too). */
async function at(page, path) {
  await page.waitForURL((url) => url.pathname === path);
}

/** Up to the second factor's page. */
const logIn = (page, email) => logInAs(page, server.base, email, PASSWORD, { waitForOrganise: false });

/** Switches TOTP on for the logged-in organiser; the secret. */
async function totpOn(page, step) {
  await page.goto(`${server.base}${ENROL}`);
  const secret = (await page.locator('#totp-secret').textContent()).replace(/\s/g, '');
  await page.getByLabel('Code from the app').fill(pyotp(secret, step - 1));
  await page.getByRole('button', { name: 'Switch two-factor authentication on' }).click();
  await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
  return secret;
}

before(async () => {
  server = await startServer([], { localhost: true });
  browser = await launch();
  for (const who of ['js', 'nojs']) {
    server.cli(['user', 'add', `lam-${who}@example.org`, '--admin', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('passkeys', () => {
  it('are added, then used after the password and before a sensitive action', async () => {
    const v = await visitor(browser, server.base);
    const { page } = v;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
      },
    });

    await logIn(page, 'lam-js@example.org');
    await at(page, '/organise');
    const step = await freshStep();
    await totpOn(page, step);
    await page.goto(`${server.base}${ENROL}`);
    await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
    assert.equal(await page.getByText('You have no passkey yet.').count(), 1);
    assert.equal(await page.getByText('A passkey needs JavaScript').isVisible(), false, 'JavaScript is on');

    // No name: said by the field, nothing asked of the authenticator.
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('Give the passkey a name').waitFor();
    assert.equal(await page.getByLabel('Name of the passkey').getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'passkeys: a name missing');

    await page.getByLabel('Name of the passkey').fill('laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForURL(`**${ENROL}?added=1`);
    await page.getByText('Your passkey was added.').waitFor();
    assert.equal(await page.getByRole('cell', { name: 'laptop', exact: true }).count(), 1);
    assert.equal(await page.getByRole('cell', { name: 'Not yet' }).count(), 1);
    await assertAccessible(page, 'passkeys: one added');
    await screenshot(page, 'passkeys-added');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1, 'the authenticator keeps one credential');
    assert.equal(credentials[0].rpId, 'localhost');

    // Log out, log in again: the password, then the passkey instead of a code.
    await page.goto(`${server.base}/organise`);
    await page.getByRole('button', { name: 'Log out' }).first().click();
    await logIn(page, 'lam-js@example.org');
    await page.waitForURL('**/login/code?next=/organise');
    await page.getByRole('button', { name: 'Use a passkey' }).waitFor();
    await assertAccessible(page, 'the code or a passkey at login');
    await screenshot(page, 'passkeys-login');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await at(page, '/organise');
    const used = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.ok(used.credentials[0].signCount >= 1, 'the authenticator signed');

    await page.goto(`${server.base}${ENROL}`);
    assert.equal(await page.getByRole('cell', { name: 'Not yet' }).count(), 0, 'used now');

    // The step-up's page offers it too.
    await page.goto(`${server.base}${ENROL}/confirm?next=/organise/people`);
    await assertAccessible(page, 'confirming with a passkey');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await at(page, '/organise/people');

    // Removed: the login asks for the code alone again.
    await page.goto(`${server.base}${ENROL}`);
    await page.getByRole('button', { name: 'Remove laptop' }).click();
    await page.getByText('The passkey was removed.').waitFor();
    assert.equal(await page.getByText('You have no passkey yet.').count(), 1);
    assert.deepEqual(v.foreign(), []);
    await v.close();
  });

  it('without JavaScript, the pages say a passkey needs it and the code still works', async () => {
    // A passkey added with JavaScript (the HTTP tests add one without a browser).
    const withJs = await visitor(browser, server.base);
    const cdp = await withJs.page.context().newCDPSession(withJs.page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
      },
    });
    await logIn(withJs.page, 'lam-nojs@example.org');
    await at(withJs.page, '/organise');
    const step = await freshStep();
    const secret = await totpOn(withJs.page, step);
    await withJs.page.goto(`${server.base}${ENROL}`);
    await withJs.page.getByLabel('Name of the passkey').fill('phone');
    await withJs.page.getByRole('button', { name: 'Add a passkey' }).click();
    await withJs.page.waitForURL(`**${ENROL}?added=1`);
    await withJs.close();

    const v = await visitor(browser, server.base, { javaScript: false });
    const { page } = v;
    await logIn(page, 'lam-nojs@example.org');
    await page.waitForURL('**/login/code?next=/organise');
    assert.ok(await page.getByText('A passkey needs JavaScript').isVisible());
    assert.equal(await page.getByRole('button', { name: 'Use a passkey' }).isVisible(), false);
    await screenshot(page, 'passkeys-login-nojs');
    await page.getByLabel('Code', { exact: true }).fill(pyotp(secret, step));
    await page.getByRole('button', { name: 'Go on' }).click();
    await at(page, '/organise');
    await page.goto(`${server.base}${ENROL}`);
    assert.ok(await page.getByText('A passkey needs JavaScript').isVisible());
    assert.equal(await page.getByRole('cell', { name: 'phone', exact: true }).count(), 1, 'listed');
    assert.equal(await page.getByRole('button', { name: 'Add a passkey' }).isVisible(), false);
    assert.deepEqual(v.foreign(), []);
    await v.close();
  });
});
