// The site's own pages (issue 15) in a real browser: an admin writes the terms without JavaScript
// (preview, then save), every footer then links them; the privacy notice, the accessibility
// statement and the admins' pages pass axe at desktop and phone widths, loading nothing from
// elsewhere.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launch, screenshot, viewports, visitor, logIn as logInAs } from '../lib/browser.js';
import { startServer } from '../lib/server.js';

const PASSWORD = 'admin password for pages';
let server;
let browser;

const logIn = (page) => logInAs(page, server.base, 'admin@example.org', PASSWORD);

before(async () => {
  server = await startServer();
  browser = await launch();
  server.cli(['user', 'add', 'admin@example.org', '--admin', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

it('an admin writes the terms without JavaScript, and every footer links them', async () => {
  const admin = await visitor(browser, server.base, { javaScript: false });
  const { page } = admin;
  await logIn(page);
  await page.getByRole('link', { name: 'Site pages' }).click();
  await page.waitForURL('**/organise/pages');
  await page.getByRole('link', { name: 'Edit Terms of use in English' }).click();
  await page.getByLabel('Title', { exact: true }).fill('Terms of use');
  await page.getByLabel('Text', { exact: true }).fill('## Be kind\n\nNo abuse of other signers.');
  await page.getByRole('button', { name: 'Preview' }).click();
  assert.equal(await page.getByRole('heading', { name: 'Preview (not saved yet)' }).count(), 1);
  assert.equal(await page.getByRole('heading', { name: 'Be kind' }).count(), 1);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL('**/organise/pages?saved=terms');
  assert.equal(await page.getByText('The page was saved.').count(), 1);
  assert.deepEqual(admin.foreign(), []);
  await admin.close();

  const reader = await visitor(browser, server.base, { javaScript: false });
  await reader.page.goto(`${server.base}/`);
  await reader.page.locator('.site-footer').getByRole('link', { name: 'Terms of use' }).click();
  await reader.page.waitForURL('**/terms');
  assert.equal(await reader.page.getByRole('heading', { level: 1 }).textContent(), 'Terms of use');
  assert.equal(await reader.page.getByText('No abuse of other signers.').count(), 1);
  await reader.close();
});

const pages = [
  ['privacy', '/privacy', false],
  ['privacy-zh-Hant', '/privacy?lang=zh-Hant', false],
  ['privacy-zh-Hans', '/privacy?lang=zh-Hans', false],
  ['accessibility-statement', '/accessibility', false],
  ['organise-pages', '/organise/pages', true],
  ['organise-page-edit', '/organise/pages/privacy/en', true],
  ['organise-page-edit-zh-Hant', '/organise/pages/accessibility/zh-Hant', true],
];

for (const [width, viewport] of Object.entries(viewports)) {
  describe(`the site's pages at ${width} width`, () => {
    let anonymous;
    let admin;
    before(async () => {
      anonymous = await visitor(browser, server.base, { viewport });
      admin = await visitor(browser, server.base, { viewport });
      await logIn(admin.page);
    });
    after(async () => {
      await anonymous?.close();
      await admin?.close();
    });
    for (const [name, path, organise] of pages) {
      it(`${name} passes axe and loads nothing from elsewhere`, async () => {
        const v = organise ? admin : anonymous;
        await v.page.goto(`${server.base}${path}`);
        assert.equal(await v.page.getByRole('heading', { level: 1 }).count(), 1);
        await assertAccessible(v.page, `${name} (${width})`);
        await screenshot(v.page, `${name}-${width}`);
        assert.deepEqual(v.foreign(), []);
      });
    }
    it('the edit page with its errors passes axe', async () => {
      await admin.page.goto(`${server.base}/organise/pages/imprint/en`);
      await admin.page.getByLabel('Title', { exact: true }).fill('');
      await admin.page.getByRole('button', { name: 'Save' }).click();
      assert.equal(await admin.page.locator('#f-page_title-error').count(), 1);
      await assertAccessible(admin.page, `organise-page-errors (${width})`);
      await screenshot(admin.page, `organise-page-errors-${width}`);
    });
  });
}
