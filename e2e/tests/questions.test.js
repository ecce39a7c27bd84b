// A campaign's own questions in a real browser (issue 16): an editor adds a required choice
// question in English and Chinese; a signer reading Traditional Chinese sees it in Chinese, leaving
// it empty shows the error next to it (what was typed kept), and answering signs. With and
// without JavaScript; the pages pass axe and load nothing from elsewhere.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launch, screenshot, viewports, visitor } from '../lib/browser.js';
import { startServer } from '../lib/server.js';

const DEMO = '/c/release-cai-guangye';
const ORG = '/organise/c/release-cai-guangye';
const PASSWORD = 'editor password 1';
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  server.cli(['user', 'add', 'editor@example.org', '--admin', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('questions of a campaign’s own', () => {
  it('an editor adds a required choice question in two languages', async () => {
    const v = await visitor(browser, server.base);
    const { page } = v;
    await page.goto(`${server.base}/login`);
    await page.getByLabel('Email address').fill('editor@example.org');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/organise');
    await page.goto(`${server.base}${ORG}`);
    await page.getByRole('link', { name: 'Questions' }).click();
    await page.waitForURL(`**${ORG}/questions`);
    await assertAccessible(page, 'the questions page');
    await page.getByLabel('Kind of answer').selectOption('choice');
    await page.locator('#f-new-prompt-en').fill('How did you hear of the campaign?');
    await page.locator('#f-new-prompt-zh-Hant').fill('你從哪裏得知這個聯署？');
    await page.locator('#f-new-choices-en').fill('From a union\nFrom a friend');
    await page.locator('#f-new-choices-zh-Hant').fill('工會\n朋友');
    await page.locator('#f-new-required').check();
    await page.getByRole('button', { name: 'Save the questions' }).click();
    await page.waitForURL(`**${ORG}/questions`);
    assert.equal(await page.locator('legend', { hasText: 'How did you hear of the campaign?' }).count(), 1);
    await assertAccessible(page, 'the questions page with a question');
    await screenshot(page, 'organise-questions');
    assert.deepEqual(v.foreign(), []);
    await v.close();
  });

  for (const javaScript of [true, false]) {
    it(`a signer reading Chinese ${javaScript ? 'with' : 'without'} JavaScript must answer it, and signs`, async () => {
      const v = await visitor(browser, server.base, { locale: 'zh-TW', viewport: viewports.phone, javaScript });
      const { page } = v;
      await page.goto(`${server.base}${DEMO}`);
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hant');
      const question = page.locator('fieldset', { hasText: '你從哪裏得知這個聯署？' });
      assert.equal(await question.count(), 1, 'the question, in Chinese');
      assert.ok(await question.getByLabel('朋友').isVisible());
      // axe runs in the page: with JavaScript only.
      if (javaScript) await assertAccessible(page, 'the sign form with a question');
      const email = `chan-${javaScript}@example.org`;
      await page.locator('#f-name').fill('陳大文');
      await page.locator('#f-email').fill(email);
      await page.locator('#f-country').selectOption('HK');
      await page.locator('#f-city').fill('九龍');
      await page.locator('#sign button[type=submit]').click();
      // The error is next to the question, in Chinese; what was typed is kept.
      const error = question.locator('.field-error');
      assert.ok(await error.isVisible(), 'the error next to the question');
      assert.match(await error.innerText(), /請回答這個問題/);
      assert.equal(await page.locator('#f-name').inputValue(), '陳大文');
      assert.equal(await page.locator('#f-city').inputValue(), '九龍');
      assert.match(await page.locator('.form-alert').innerText(), /請回答這個問題/);
      if (javaScript) await assertAccessible(page, 'the sign form with the question’s error');
      await screenshot(page, `sign-question-error-zh-Hant-${javaScript ? 'js' : 'nojs'}`);
      await question.getByLabel('朋友').check();
      await page.locator('#sign button[type=submit]').click();
      await page.waitForURL(`**${DEMO}/check-email`);
      const mail = await server.mailTo(email);
      assert.match(mail.subject, /請確認你的簽名/);
      assert.deepEqual(v.foreign(), []);
      await v.close();
    });
  }
});
