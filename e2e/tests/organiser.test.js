// An organiser in a real browser: logs in, moderates an endorsement, enters one collected
// offline, and every organiser page passes axe at both widths, loading nothing from elsewhere.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launch, screenshot, viewports, visitor, logIn as logInAs } from '../lib/browser.js';
import { linkIn, startServer } from '../lib/server.js';

const DEMO = '/c/release-cai-guangye';
const ORG = '/organise/c/release-cai-guangye';
const PASSWORD = 'organiser password 1';
let server;
let browser;

const logIn = (page, email) => logInAs(page, server.base, email, PASSWORD);

before(async () => {
  server = await startServer();
  browser = await launch();
  server.cli(['user', 'add', 'admin@example.org', '--admin', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
  // An endorsement confirmed by its contact, waiting for approval.
  const v = await visitor(browser, server.base);
  await v.page.goto(`${server.base}${DEMO}/endorse`);
  await v.page.getByLabel('Name of the organisation').fill('Seamen’s Union');
  await v.page.getByLabel('Trade union').check();
  await v.page.getByLabel('Country or region').selectOption('KR');
  await v.page.getByLabel('Contact person').fill('Kim');
  await v.page.getByLabel('Contact email address').fill('kim@seamen.example.org');
  await v.page.getByRole('button', { name: 'Endorse' }).click();
  const mail = await server.mailTo('kim@seamen.example.org');
  await v.page.goto(linkIn(mail, `${server.base}/e/confirm/`));
  await v.page.getByRole('button', { name: 'Confirm the endorsement' }).click();
  await v.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const javaScript of [true, false]) {
  describe(`an organiser ${javaScript ? 'with' : 'without'} JavaScript`, () => {
    it('logs in, moderates and enters an endorsement collected offline', async () => {
      const v = await visitor(browser, server.base, { javaScript });
      const { page } = v;
      await logIn(page, 'admin@example.org');
      await page.getByRole('link', { name: /Free Cai Guangye/ }).click();
      await page.getByRole('link', { name: 'Moderation' }).click();
      if (javaScript) {
        await page.getByRole('button', { name: 'Approve' }).click();
        await page.waitForURL(`**${ORG}/moderation`);
        assert.equal(await page.getByText('Nothing is waiting.').count(), 1);
      }
      await page.getByRole('link', { name: 'Offline endorsements' }).click();
      const what = javaScript ? '7' : '9';
      await page.getByLabel('A number of individuals, names withheld').check();
      await page.getByLabel('How many individuals').fill(what);
      await page.getByLabel('Where it came from').fill('paper forms');
      await page.getByRole('button', { name: 'Add the endorsement' }).click();
      assert.equal(await page.getByText(`Added: ${what} individuals.`).count(), 1);
      await page.goto(`${server.base}${DEMO}`);
      assert.ok(await page.getByText(`${what} individuals`).count() >= 1);
      if (javaScript) assert.equal(await page.locator('.endorser-list li', { hasText: 'Seamen’s Union' }).count(), 1);
      assert.deepEqual(v.foreign(), []);
      await v.close();
    });
  });
}

const pages = [
  ['organise-login', '/login'],
  ['organise-forgot', '/account/forgot'],
  ['organise-home', '/organise'],
  ['organise-dashboard', ORG],
  ['organise-moderation', `${ORG}/moderation`],
  ['organise-offline', `${ORG}/endorsements/new`],
  ['organise-team', `${ORG}/team`],
  ['organise-edit', `${ORG}/edit`],
  ['organise-version', `${ORG}/edit/zh-Hant`],
  ['organise-new', '/organise/new'],
  ['organise-import', `${ORG}/endorsements/import`],
  ['organise-invalidate', `${ORG}/invalidate?email_domain=example.org`],
  // A form's button on the dashboard (POST with the CSRF token), not a link.
  ['organise-delivery', ORG, 'The delivery document in English (to print)'],
  ['organise-delivery-page', `${ORG}/delivery`],
  ['organise-updates', `${ORG}/updates`],
  ['organise-response', `${ORG}/response`],
  ['manage-request', `${DEMO}/manage`],
  ['history', `${DEMO}/history`],
  ['organise-invite', '/organise/invite'],
  ['organise-audit', '/organise/audit'],
];

for (const [width, viewport] of Object.entries(viewports)) {
  describe(`every organiser page at ${width} width`, () => {
    // One login per width: logins are rate-limited per account, as they should be.
    let anonymous;
    let organiser;
    before(async () => {
      anonymous = await visitor(browser, server.base, { viewport });
      organiser = await visitor(browser, server.base, { viewport });
      await logIn(organiser.page, 'admin@example.org');
    });
    after(async () => {
      await anonymous?.close();
      await organiser?.close();
    });
    for (const [name, path, button] of pages) {
      it(`${name} passes axe and loads nothing from elsewhere`, async () => {
        const v = path.startsWith('/login') || path.startsWith('/account') ? anonymous : organiser;
        await v.page.goto(`${server.base}${path}`);
        if (button) {
          await Promise.all([v.page.waitForURL(`**${path}/delivery/**`), v.page.getByRole('button', { name: button }).click()]);
        }
        await assertAccessible(v.page, `${name} (${width})`);
        await screenshot(v.page, `${name}-${width}`);
        assert.deepEqual(v.foreign(), []);
      });
    }
  });
}
