// An organiser's sessions in a real browser, with JavaScript and without: logged in on a laptop
// (Firefox on Linux) and a phone (Safari on iOS), the laptop's sessions page lists both; the laptop
// ends the phone's session (with JavaScript) or every other session (without), and the phone is
// logged out. The page passes axe at both widths and loads nothing from elsewhere.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launch, screenshot, viewports, visitor, logIn as logInAs } from '../lib/browser.js';
import { startServer } from '../lib/server.js';

const PASSWORD = 'organiser password 1';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  for (const email of ['lam@example.org', 'wong@example.org']) {
    server.cli(['user', 'add', email, '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const logIn = (page, email) => logInAs(page, server.base, email, PASSWORD);

// One account a pass: each pass logs in twice more, and logins are rate-limited per account.
for (const [javaScript, email] of [[true, 'lam@example.org'], [false, 'wong@example.org']]) {
  describe(`an organiser's sessions ${javaScript ? 'with' : 'without'} JavaScript`, () => {
    it('lists both devices, ends the other one, and the other browser is logged out', async () => {
      const laptop = await visitor(browser, server.base, { javaScript, userAgent: FIREFOX_LINUX });
      const phone = await visitor(browser, server.base, { javaScript, userAgent: SAFARI_IOS, viewport: viewports.phone });
      await logIn(phone.page, email);
      await logIn(laptop.page, email);
      const { page } = laptop;
      await page.getByRole('link', { name: 'Where you are logged in' }).click();
      await page.waitForURL('**/organise/account/sessions');
      const rows = page.locator('table.sessions tbody tr');
      assert.equal(await rows.count(), 2);
      const own = rows.filter({ hasText: 'Firefox on Linux' });
      assert.match(await own.innerText(), /this session/);
      assert.match(await own.innerText(), /The network you are on now/);
      assert.equal(await rows.filter({ hasText: 'Safari on iOS' }).count(), 1);

      if (javaScript) {
        await page.getByRole('button', { name: /^End Safari on iOS/ }).click();
        await page.waitForURL('**/organise/account/sessions?ended=one');
        assert.equal(await page.getByText('The session has ended.').count(), 1);
      } else {
        await page.getByRole('button', { name: 'End all other sessions' }).click();
        await page.waitForURL('**/organise/account/sessions?ended=others');
        assert.equal(await page.getByText('Every other session has ended.').count(), 1);
      }
      assert.equal(await rows.count(), 1);
      assert.equal(await rows.filter({ hasText: 'Safari on iOS' }).count(), 0);

      await phone.page.goto(`${server.base}/organise`);
      await phone.page.waitForURL('**/login?next=/organise');
      await page.goto(`${server.base}/organise`);
      assert.equal(new URL(page.url()).pathname, '/organise', 'the laptop is still logged in');
      assert.deepEqual(laptop.foreign(), []);
      assert.deepEqual(phone.foreign(), []);
      await laptop.close();
      await phone.close();
    });
  });
}

describe('the sessions page', () => {
  it('passes axe at both widths and loads nothing from elsewhere', async () => {
    const v = await visitor(browser, server.base, { userAgent: FIREFOX_LINUX });
    const other = await visitor(browser, server.base, { userAgent: SAFARI_IOS });
    await logIn(other.page, 'lam@example.org');
    await logIn(v.page, 'lam@example.org');
    for (const [width, viewport] of Object.entries(viewports)) {
      await v.page.setViewportSize(viewport);
      await v.page.goto(`${server.base}/organise/account/sessions`);
      await assertAccessible(v.page, `sessions (${width})`);
      await screenshot(v.page, `organise-sessions-${width}`);
    }
    assert.deepEqual(v.foreign(), []);
    await v.close();
    await other.close();
  });
});
