// The "under attack" mode in a real browser: the operator turns it on from the command line; a
// person without JavaScript signs within the stricter limit (two an hour from one address, here)
// and is told to come back, or to turn JavaScript on, past it; a person with JavaScript on signs
// after the browser's proof of work (our own script, a Web Worker, with its progress shown), which
// the stricter limit does not hold back. Nothing is loaded from another host.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { assertAccessible, launch, screenshot, visitor } from '../lib/browser.js';
import { startServer } from '../lib/server.js';

const DEMO = '/c/release-cai-guangye';
const binary = resolve(import.meta.dirname, '..', '..', 'target', 'debug', 'undersigned');

let server;
let browser;

before(async () => {
  server = await startServer(['--unsolved-per-ip-hour', '2', '--pow-max-number', '300000']);
  browser = await launch();
  const said = execFileSync(binary, ['under-attack', 'on', '--data-dir', server.dataDir, '--no-demo'], { encoding: 'utf8' });
  assert.match(said, /under attack: on for the whole site/);
  // The running server reads the mode again within two seconds.
  await new Promise((r) => setTimeout(r, 2200));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function fillSignForm(page, { name, email }) {
  await page.getByLabel('Your name', { exact: true }).fill(name);
  await page.getByLabel('Your email address', { exact: true }).fill(email);
  await page.getByLabel('Country or region').selectOption({ label: 'Hong Kong' });
}

it('without JavaScript, signs within the stricter limit and is told to wait past it', async () => {
  const v = await visitor(browser, server.base, { javaScript: false });
  const { page } = v;
  for (const n of [1, 2]) {
    await page.goto(`${server.base}${DEMO}`);
    await fillSignForm(page, { name: `No Script ${n}`, email: `noscript-${n}@example.org` });
    await page.getByRole('button', { name: 'Sign' }).click();
    await page.waitForURL(`**${DEMO}/check-email`);
    await server.mailTo(`noscript-${n}@example.org`);
  }
  await page.goto(`${server.base}${DEMO}`);
  await fillSignForm(page, { name: 'No Script 3', email: 'noscript-3@example.org' });
  await page.getByRole('button', { name: 'Sign' }).click();
  const alert = page.locator('.form-alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Too many signatures without the check just now: try again in \d+ minutes?, or with JavaScript on\./);
  assert.equal(await page.getByLabel('Your email address', { exact: true }).inputValue(), 'noscript-3@example.org', 'what was typed is kept');
  await screenshot(page, 'under-attack-no-js-refused');
  assert.deepEqual(v.foreign(), []);
  await v.close();
});

it('with JavaScript, signs after the proof of work, past the no-JavaScript limit', async () => {
  const v = await visitor(browser, server.base, { javaScript: true });
  const { page } = v;
  await page.goto(`${server.base}${DEMO}`);
  await page.getByLabel('Your name', { exact: true }).click();
  const status = page.locator('.pow-status');
  await status.waitFor({ state: 'visible' });
  assert.match(await status.innerText(), /Checking that a person is signing|Check done/);
  await fillSignForm(page, { name: 'With Script', email: 'script@example.org' });
  await page.locator('.pow-status', { hasText: 'Check done.' }).waitFor({ timeout: 60_000 });
  const solution = await page.locator('input[name="altcha"]').inputValue();
  const payload = JSON.parse(Buffer.from(solution, 'base64').toString('utf8'));
  assert.equal(payload.algorithm, 'SHA-256');
  assert.ok(Number.isInteger(payload.number) && payload.salt.includes('?expires='));
  await screenshot(page, 'under-attack-js-solved');
  await assertAccessible(page, 'the campaign page under attack');
  await page.getByRole('button', { name: 'Sign' }).click();
  await page.waitForURL(`**${DEMO}/check-email`);
  const mail = await server.mailTo('script@example.org');
  assert.match(mail.subject, /confirm/i);
  assert.ok(v.requests.some((url) => url.includes(`${DEMO}/challenge`)), 'the challenge came from our endpoint');
  assert.ok(v.requests.some((url) => url.includes('/static/altcha-worker.js')), 'our own worker solved it');
  assert.deepEqual(v.foreign(), []);
  await v.close();
});
