// Delivering, in a real browser, with and without JavaScript: the campaign's owner opens the
// delivery page, downloads the PDF, mistypes the target's address (named next to the field, what
// was typed kept), sends the delivery with the Chinese version and the CSV, and the page lists it;
// the mail (a file: no SMTP server here) carries the PDF; the campaign's page says it was
// delivered. The delivery page passes axe and loads nothing from elsewhere.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertAccessible, launch, screenshot, visitor } from '../lib/browser.js';
import { startServer } from '../lib/server.js';

const DEMO = '/c/release-cai-guangye';
const ORG = '/organise/c/release-cai-guangye';
const PASSWORD = 'organiser password 1';
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  server.cli(['user', 'add', 'owner@example.org', '--admin', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The raw message written for `to`, once it is there. */
async function rawMailTo(to) {
  for (let i = 0; i < 200; i++) {
    try {
      const raw = server.rawMails()
        .find((m) => m.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/).some((line) => line.startsWith('To: ') && line.includes(to)));
      if (raw) return raw;
    } catch { /* no mail yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail to ${to}`);
}

for (const javaScript of [true, false]) {
  describe(`the owner ${javaScript ? 'with' : 'without'} JavaScript`, () => {
    it('sends the delivery to the target and the page shows it', async () => {
      const target = javaScript ? 'office@gov.example' : 'bureau@gov.example';
      const v = await visitor(browser, server.base, { javaScript });
      const { page } = v;
      await page.goto(`${server.base}/login?next=${ORG}`);
      await page.getByLabel('Email address').fill('owner@example.org');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`**${ORG}`);
      await page.getByRole('link', { name: 'Delivery', exact: true }).click();
      await page.waitForURL(`**${ORG}/delivery`);
      // axe runs as a script: with JavaScript only (the organiser pages' walk checks it too).
      if (javaScript) await assertAccessible(page, 'the delivery page');

      // The PDF, as a download.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('li[lang="zh-Hant"]').getByRole('button', { name: 'Download the PDF' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'release-cai-guangye-zh-Hant.pdf');
      const pdf = readFileSync(await download.path());
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');

      // A mistyped address: named next to its field, kept.
      await page.getByLabel('The target’s email address').fill('office at gov');
      await page.getByLabel('繁體中文').check();
      await page.getByRole('button', { name: 'Send the delivery' }).click();
      assert.equal(await page.locator('#f-target_email-error').count(), 1);
      assert.equal(await page.getByLabel('The target’s email address').inputValue(), 'office at gov');
      assert.ok(await page.getByLabel('繁體中文').isChecked(), 'the languages chosen are kept');

      await page.getByLabel('The target’s email address').fill(target);
      await page.getByLabel('Attach the list of signers as a CSV file too').check();
      await page.getByRole('button', { name: 'Send the delivery' }).click();
      await page.waitForURL(`**${ORG}/delivery#deliveries`);
      const sent = page.locator('ul.deliveries li', { hasText: target });
      assert.equal(await sent.count(), 1);
      assert.match(await sent.innerText(), /繁體中文/);
      assert.match(await sent.innerText(), /with the CSV/);
      await screenshot(page, `delivery-sent-${javaScript ? 'js' : 'nojs'}`);

      const raw = await rawMailTo(target);
      assert.match(raw, /Content-Type: application\/pdf/);
      assert.match(raw, /release-cai-guangye-zh-Hant\.pdf/);
      assert.match(raw, /release-cai-guangye-signers\.csv/);

      await page.goto(`${server.base}${DEMO}?lang=en`);
      assert.equal(await page.getByText(/Delivered to The Government of the People’s Republic of China on/).count(), 1);
      assert.equal(await page.getByText(target).count(), 0, 'the address is never public');
      assert.deepEqual(v.foreign(), []);
      await v.close();
    });
  });
}
