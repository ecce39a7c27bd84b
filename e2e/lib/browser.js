// Debian's chromium, driven by playwright-core: a context that records every request (and fails the
// test on any to another host), an axe-core check, and screenshots under target/e2e/.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const shots = resolve(import.meta.dirname, '..', '..', 'target', 'e2e');
mkdirSync(shots, { recursive: true });

export const viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * A fresh browser context (its own cookies) for the site at `base`, saying it is `userAgent` if
 * given. Every request the pages make is recorded; `foreign()` lists those to any other host.
 */
export async function visitor(browser, base, { viewport = viewports.desktop, javaScript = true, locale = 'en-GB', userAgent } = {}) {
  const context = await browser.newContext({ viewport, javaScriptEnabled: javaScript, locale, userAgent });
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  const origin = new URL(base).origin;
  return {
    context,
    page,
    requests,
    foreign: () => requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:')),
    close: () => context.close(),
  };
}

/** Runs axe-core (WCAG 2.x A and AA) on the page and fails on any violation. */
export async function assertAccessible(page, label) {
  // Evaluated through the DevTools protocol, so the page's strict CSP (no inline script) allows it.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  const violations = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n    ')}`);
  assert.ok(result.passes.length > 10, `axe ran its rules on ${label}`);
  assert.deepEqual(violations, [], `axe found violations on ${label}:\n${violations.join('\n')}`);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/**
 * Logs an organiser in the way a person does: /organise sends them to the login form, they type
 * their address and password. Then waits for /organise, unless `waitForOrganise` is false (a
 * second factor is asked next).
 */
export async function logIn(page, base, email, password, { waitForOrganise = true } = {}) {
  await page.goto(`${base}/organise`);
  await page.waitForURL('**/login?next=/organise');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  if (waitForOrganise) await page.waitForURL('**/organise');
}
