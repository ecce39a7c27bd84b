// Two-factor authentication for organisers in a real browser, with JavaScript on and off: an
// organiser switches it on (the QR code drawn in the page, the key shown as text), keeps the
// recovery codes, logs in again with a code, and confirms a sensitive action; each new page passes
// axe and loads nothing from elsewhere. The codes come from Python's pyotp, an implementation
// independent of the server's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launch, screenshot, visitor, logIn as logInAs } from '../lib/browser.js';
import { startServer } from '../lib/server.js';
import { freshStep, pyotp } from '../lib/totp.js';

const PASSWORD = 'organiser password 1';
const ENROL = '/organise/account/second-factor';
let server;
let browser;

/** Up to the second factor's page. */
const logIn = (page, email) => logInAs(page, server.base, email, PASSWORD, { waitForOrganise: false });

before(async () => {
  server = await startServer();
  browser = await launch();
  for (const who of ['js', 'nojs']) {
    server.cli(['user', 'add', `lam-${who}@example.org`, '--admin', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const javaScript of [true, false]) {
  // axe runs in the page: only with JavaScript on (without, evaluating it never returns); the pages
  // are the same HTML either way.
  const checkAxe = javaScript ? assertAccessible : async () => {};
  describe(`two-factor authentication ${javaScript ? 'with' : 'without'} JavaScript`, () => {
    const email = `lam-${javaScript ? 'js' : 'nojs'}@example.org`;

    it('is switched on, then asked for at login and before a sensitive action', async () => {
      const v = await visitor(browser, server.base, { javaScript });
      const { page } = v;
      await logIn(page, email);
      await page.waitForURL('**/organise');
      await page.getByRole('link', { name: 'Two-factor authentication' }).first().click();
      await page.waitForURL(`**${ENROL}`);
      assert.equal(await page.getByRole('img', { name: /QR code/ }).count(), 1, 'the QR code, drawn in the page');
      await checkAxe(page, `enrolment (${javaScript ? 'js' : 'no js'})`);
      await screenshot(page, `second-factor-enrol-${javaScript ? 'js' : 'nojs'}`);
      const secret = (await page.locator('#totp-secret').textContent()).replace(/\s/g, '');
      assert.equal(secret.length, 32);

      const step = await freshStep();
      await page.getByLabel('Code from the app').fill('123');
      await page.getByRole('button', { name: 'Switch two-factor authentication on' }).click();
      assert.equal(await page.getByText('That code is not right.').count(), 2, 'above the form and by the field');
      await checkAxe(page, `enrolment with an error (${javaScript ? 'js' : 'no js'})`);
      await page.getByLabel('Code from the app').fill(pyotp(secret, step - 1));
      await page.getByRole('button', { name: 'Switch two-factor authentication on' }).click();
      await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
      assert.equal(await page.locator('.recovery-codes li').count(), 10);
      await checkAxe(page, `recovery codes (${javaScript ? 'js' : 'no js'})`);

      // A new login: the password, then the code.
      const again = await visitor(browser, server.base, { javaScript });
      await logIn(again.page, email);
      await again.page.waitForURL('**/login/code?next=/organise');
      await checkAxe(again.page, `the code at login (${javaScript ? 'js' : 'no js'})`);
      await screenshot(again.page, `second-factor-login-${javaScript ? 'js' : 'nojs'}`);
      await again.page.getByLabel('Code', { exact: true }).fill(pyotp(secret, step));
      await again.page.getByRole('button', { name: 'Go on' }).click();
      await again.page.waitForURL('**/organise');

      // The code again before a sensitive action (the confirm page, as the step-up shows it).
      await again.page.goto(`${server.base}${ENROL}/confirm?next=/organise/people`);
      await checkAxe(again.page, `confirming (${javaScript ? 'js' : 'no js'})`);
      await again.page.getByLabel('Code', { exact: true }).fill(pyotp(secret, step + 1));
      await again.page.getByRole('button', { name: 'Go on' }).click();
      await again.page.waitForURL('**/organise/people');

      await again.page.goto(`${server.base}${ENROL}`);
      await checkAxe(again.page, `switched on (${javaScript ? 'js' : 'no js'})`);
      await again.page.goto(`${server.base}/organise/settings`);
      await checkAxe(again.page, `site settings (${javaScript ? 'js' : 'no js'})`);
      assert.deepEqual(v.foreign(), []);
      assert.deepEqual(again.foreign(), []);
      await again.close();
      await v.close();
    });
  });
}
