// A demand met, in a real browser: an organiser marks demand 2 met with a note in two languages
// (a plain form: no script needed), and the campaign page says so in English, 简体 and 繁體, passing
// axe (which runs as a script, so this browser has JavaScript).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
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
  server.cli(['user', 'add', 'admin@example.org', '--admin', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

it('marks demand 2 met with notes in two languages, shown in English, 简体 and 繁體', async () => {
  const v = await visitor(browser, server.base);
  const { page } = v;
  await page.goto(`${server.base}/organise`);
  await page.getByLabel('Email address').fill('admin@example.org');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/organise');
  await page.goto(`${server.base}${ORG}`);
  await page.getByRole('link', { name: 'Demands met' }).click();
  await assertAccessible(page, 'organiser demands met');
  const second = page.locator('#demand-2');
  await second.getByLabel('Met on').fill('2026-03-03');
  await second.getByLabel('Note in English (optional)').fill('The labour camp released him.');
  await second.getByLabel('Note in 繁體中文 (optional)').fill('勞教所已釋放他。');
  await second.getByRole('button', { name: 'Mark demand 2 met' }).click();
  await page.waitForURL((url) => url.pathname === `${ORG}/demands` && url.search === '?saved=1');
  assert.equal(await page.locator('#demand-2 .demand-met-mark').count(), 1);

  for (const [lang, text] of [
    ['en', 'Met on 3 March 2026: The labour camp released him.'],
    ['zh-Hans', '已于2026年3月3日达成：勞教所已釋放他。'],
    ['zh-Hant', '已於2026年3月3日達成：勞教所已釋放他。'],
  ]) {
    await page.goto(`${server.base}${DEMO}?lang=${lang}`);
    const mark = page.locator('.demands li').nth(1).locator('.demand-met-mark');
    assert.equal((await mark.innerText()).trim(), text, lang);
    assert.equal(await page.locator('.demands li.demand-met').count(), 1, lang);
    await assertAccessible(page, `campaign page with a demand met (${lang})`);
    await screenshot(page, `demand-met-${lang}`);
  }
  assert.deepEqual(v.foreign(), []);
  await v.close();
});
