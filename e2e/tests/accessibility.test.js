// Every public page, at desktop and phone widths, in English and Chinese: axe-core finds no WCAG 2.x
// A or AA violation, nothing is loaded from another host, and a screenshot goes to target/e2e/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launch, screenshot, viewports, visitor } from '../lib/browser.js';
import { linkIn, startServer } from '../lib/server.js';

const DEMO = '/c/release-cai-guangye';
let server;
let browser;
const links = {};

before(async () => {
  server = await startServer();
  browser = await launch();
  // One signature, to reach the pages behind the mail's links.
  const v = await visitor(browser, server.base);
  await v.page.goto(`${server.base}${DEMO}`);
  await v.page.locator('#f-name').fill('Axe Checker');
  await v.page.locator('#f-email').fill('axe@example.org');
  await v.page.locator('#f-country').selectOption('HK');
  await v.page.locator('#f-display-full').check();
  await v.page.locator('#sign button[type=submit]').click();
  const mail = await server.mailTo('axe@example.org');
  links.confirm = linkIn(mail, `${server.base}/s/confirm/`).slice(server.base.length);
  links.withdraw = linkIn(mail, `${server.base}/s/withdraw/`).slice(server.base.length);
  await v.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Each page: a name for the screenshot, and how to reach it. */
const pages = [
  ['home', async (page) => page.goto(`${server.base}/`)],
  ['campaign', async (page) => page.goto(`${server.base}${DEMO}`)],
  ['campaign-zh-Hant', async (page) => page.goto(`${server.base}${DEMO}?lang=zh-Hant`)],
  ['campaign-zh-Hans', async (page) => page.goto(`${server.base}${DEMO}?lang=zh-Hans`)],
  ['sign-errors', async (page) => {
    await page.goto(`${server.base}${DEMO}?lang=en`);
    await page.locator('#f-email').fill('not an address');
    await page.locator('#sign button[type=submit]').click();
    // The refusal is a new page: axe reads it once it is there.
    await page.locator('#f-email-error').waitFor();
  }],
  ['check-email', async (page) => page.goto(`${server.base}${DEMO}/check-email`)],
  ['confirm', async (page) => page.goto(`${server.base}${links.confirm}`)],
  ['thanks', async (page) => page.goto(`${server.base}${DEMO}/thanks`)],
  ['signatures', async (page) => page.goto(`${server.base}${DEMO}/signatures`)],
  ['endorse', async (page) => page.goto(`${server.base}${DEMO}/endorse`)],
  ['endorse-errors', async (page) => {
    await page.goto(`${server.base}${DEMO}/endorse`);
    await page.getByRole('button', { name: 'Endorse' }).click();
  }],
  ['withdraw', async (page) => page.goto(`${server.base}${links.withdraw}`)],
  ['comments', async (page) => page.goto(`${server.base}${DEMO}/comments`)],
  ['comment-errors', async (page) => {
    await page.goto(`${server.base}${DEMO}/comments`);
    await page.locator('#comment-form ~ form button[type=submit]').click();
  }],
  ['link-invalid', async (page) => page.goto(`${server.base}/s/confirm/broken`)],
  ['not-found', async (page) => page.goto(`${server.base}/c/no-such-campaign`)],
  ['api-docs', async (page) => page.goto(`${server.base}/api/v1/docs`)],
  ['api-docs-zh-Hant', async (page) => page.goto(`${server.base}/api/v1/docs?lang=zh-Hant`)],
];

for (const [width, viewport] of Object.entries(viewports)) {
  describe(`every public page at ${width} width`, () => {
    for (const [name, reach] of pages) {
      it(`${name} passes axe and loads nothing from elsewhere`, async () => {
        const v = await visitor(browser, server.base, { viewport });
        await reach(v.page);
        await assertAccessible(v.page, `${name} (${width})`);
        await screenshot(v.page, `${name}-${width}`);
        assert.deepEqual(v.foreign(), [], `requests to other hosts from ${name}`);
        await v.close();
      });
    }
  });
}
