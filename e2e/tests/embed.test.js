// The campaign on another site: an organiser copies the frame snippet from the dashboard, a page
// on another origin (a small local server at localhost, cross-site to the campaign's 127.0.0.1)
// shows it, and a person signs inside the frame in a Chromium with JavaScript off and
// third-party cookies blocked: "check your email" shows in the frame, the mail's link confirms,
// and the count in the frame goes up. axe finds nothing on the embeddable page.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { assertAccessible, launch, screenshot, visitor } from '../lib/browser.js';
import { linkIn, startServer } from '../lib/server.js';

const DEMO = '/c/release-cai-guangye';
const PASSWORD = 'organiser password 1';
let server;
let browser;
let host;
let snippet;

/** The other site: its page with the snippet, the same without `allow-same-origin`, and a probe
 * frame that sets a third-party cookie (SameSite=None; Secure, which localhost may set). */
function startHost() {
  const other = createServer((request, response) => {
    const probe = `<iframe title="A probe" src="http://127.0.0.1:${other.address().port}/probe" width="10" height="10"></iframe>`;
    const page = (frame) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A union’s site</title></head>
<body><h1>The dockers’ union</h1><noscript><p id="no-script">JavaScript is off.</p></noscript><p>Our campaign:</p>${frame}${probe}</body></html>`;
    const html = { 'content-type': 'text/html; charset=utf-8' };
    if (request.url === '/probe') {
      response.writeHead(200, { ...html, 'set-cookie': 'probe=1; SameSite=None; Secure; Path=/' });
      response.end('<!doctype html><title>probe</title>');
    } else if (request.url === '/host') {
      response.writeHead(200, html);
      response.end(page(snippet));
    } else if (request.url === '/without-same-origin') {
      response.writeHead(200, html);
      response.end(page(snippet.replace(' allow-same-origin', '')));
    } else {
      response.writeHead(404, html);
      response.end('not here');
    }
  });
  return new Promise((ok) => other.listen(0, '127.0.0.1', () => ok(other)));
}

/** A Chromium profile whose third-party cookies are blocked (`block`) or allowed, JavaScript off. */
async function profile(block) {
  const dir = mkdtempSync(join(tmpdir(), 'undersigned-profile-'));
  mkdirSync(join(dir, 'Default'));
  const prefs = { profile: { cookie_controls_mode: block ? 1 : 0, block_third_party_cookies: block } };
  writeFileSync(join(dir, 'Default', 'Preferences'), JSON.stringify(prefs));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
    javaScriptEnabled: false,
    locale: 'en-GB',
    viewport: { width: 900, height: 1000 },
  });
  const page = context.pages()[0] || (await context.newPage());
  return { context, page, close: async () => { await context.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const hostUrl = (path) => `http://localhost:${host.address().port}${path}`;

before(async () => {
  server = await startServer();
  browser = await launch();
  server.cli(['user', 'add', 'admin@example.org', '--admin', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
  // The organiser copies the frame from the dashboard.
  const v = await visitor(browser, server.base, { javaScript: false });
  await v.page.goto(`${server.base}/organise`);
  await v.page.getByLabel('Email address').fill('admin@example.org');
  await v.page.getByLabel('Password').fill(PASSWORD);
  await v.page.getByRole('button', { name: 'Log in' }).click();
  await v.page.goto(`${server.base}/organise${DEMO}`);
  snippet = await v.page.locator('#embed-frame').inputValue();
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/c\/release-cai-guangye\/embed" title="Free Cai Guangye/);
  assert.match(snippet, /sandbox="allow-forms allow-popups allow-popups-to-escape-sandbox allow-same-origin allow-top-navigation-by-user-activation"/);
  await v.close();
  host = await startHost();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  host?.close();
});

it('the probe cookie is stored where third-party cookies are allowed (so its absence below means something)', async () => {
  const allowed = await profile(false);
  await allowed.page.goto(hostUrl('/host'));
  await allowed.page.frameLocator('iframe[src*="/embed"]').locator('h1').waitFor();
  const names = (await allowed.context.cookies()).map((c) => `${c.name}@${c.domain}`);
  assert.ok(names.includes('probe@127.0.0.1'), `cookies: ${names}`);
  assert.ok(!names.some((n) => n.endsWith(`@127.0.0.1`) && n !== 'probe@127.0.0.1'), `the embed set none: ${names}`);
  await allowed.close();
});

it('signs inside the frame on another site, with JavaScript off and third-party cookies blocked', async () => {
  const person = await profile(true);
  const { page, context } = person;
  await page.goto(hostUrl('/host'));
  const frame = page.frameLocator('iframe[src*="/embed"]');
  await assert.doesNotReject(frame.locator('h1').waitFor());
  assert.equal(await frame.locator('h1').textContent(), 'Free Cai Guangye, jailed for writing about laid-off workers');
  assert.deepEqual(await context.cookies(), [], 'third-party cookies are blocked: the probe kept none');
  assert.ok(await page.locator('#no-script').isVisible(), 'JavaScript is off: the page shows its <noscript>');
  const before = Number(await frame.locator('.count-number').textContent());
  await screenshot(page, 'embed-on-another-site');

  // A mistake first: the frame shows it, with what was typed kept.
  await frame.locator('#f-name').fill('Framed Signer');
  await frame.locator('#f-email').fill('not an address');
  await frame.locator('#f-country').selectOption('HK');
  await frame.locator('button[type=submit]').click();
  await frame.locator('#f-email-error').waitFor();
  assert.equal(await frame.locator('#f-name').inputValue(), 'Framed Signer');
  assert.equal(await page.locator('h1').textContent(), 'The dockers’ union', 'the other site’s page stays');

  await frame.locator('#f-email').fill('framed@example.org');
  await frame.locator('button[type=submit]').click();
  await frame.getByRole('heading', { name: 'Check your email' }).waitFor();
  await screenshot(page, 'embed-check-email');
  assert.deepEqual(await context.cookies(), [], 'still no cookie of ours, nor the probe’s');

  // The person opens the mail's link (a tab of their own) and confirms.
  const mail = await server.mailTo('framed@example.org');
  const tab = await context.newPage();
  await tab.goto(linkIn(mail, `${server.base}/s/confirm/`));
  await tab.getByRole('button', { name: 'Confirm my signature' }).click();
  await tab.waitForURL(`**${DEMO}/thanks**`);
  await tab.close();

  await page.reload();
  const after = Number(await page.frameLocator('iframe[src*="/embed"]').locator('.count-number').textContent());
  assert.equal(after, before + 1, 'the count in the frame went up');
  await person.close();
});

it('a frame that leaves out allow-same-origin posts as "null", which is refused and says so', async () => {
  const person = await profile(true);
  await person.page.goto(hostUrl('/without-same-origin'));
  const frame = person.page.frameLocator('iframe[src*="/embed"]');
  await frame.locator('#f-name').fill('Opaque');
  await frame.locator('#f-email').fill('opaque@example.org');
  await frame.locator('#f-country').selectOption('HK');
  await frame.locator('button[type=submit]').click();
  await frame.getByText('This form was sent from another site, so nothing was sent.').waitFor();
  assert.equal(await frame.locator('#f-name').inputValue(), 'Opaque');
  await person.close();
});

for (const [name, path] of [
  ['embed', `${DEMO}/embed`],
  ['embed-zh-Hant', `${DEMO}/embed?lang=zh-Hant`],
]) {
  it(`${name} passes axe and loads nothing from elsewhere`, async () => {
    const v = await visitor(browser, server.base, { viewport: { width: 480, height: 720 } });
    await v.page.goto(`${server.base}${path}`);
    await assertAccessible(v.page, name);
    await screenshot(v.page, name);
    assert.deepEqual(v.foreign(), [], `requests to other hosts from ${name}`);
    await v.close();
  });
}

it('embed-errors passes axe', async () => {
  const v = await visitor(browser, server.base, { viewport: { width: 480, height: 720 } });
  await v.page.goto(`${server.base}${DEMO}/embed`);
  await v.page.locator('button[type=submit]').click();
  await v.page.locator('#f-name-error').waitFor();
  await assertAccessible(v.page, 'embed-errors');
  await screenshot(v.page, 'embed-errors');
  await v.close();
});
