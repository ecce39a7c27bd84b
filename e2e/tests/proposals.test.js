// A petitions site in a real browser (issue 15): an admin lets anyone start a campaign; a visitor
// proposes one in Chinese and confirms it from their mail; five sponsors sign it from the sponsor
// link and confirm from their mails; a moderator rejects another proposal with a reason (listed
// publicly) and publishes this one; one more signature crosses a threshold and its organiser (the
// proposer) gets the mail; the search finds it by a word of two characters. Every new page passes
// axe at desktop and phone widths and loads nothing from elsewhere.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertAccessible, launch, screenshot, viewports, visitor } from '../lib/browser.js';
import { linkIn, startServer } from '../lib/server.js';

const PASSWORD = 'organiser password 1';
let server;
let browser;
let admin;
/** Pages reached along the way, each checked with axe at both widths at the end. */
const reached = [];

/** Checks a page with axe at both widths, now, in fresh contexts (with the admin's cookies for theirs). */
async function accessible(name, path, { asAdmin = false } = {}) {
  for (const [width, viewport] of Object.entries(viewports)) {
    const v = await visitor(browser, server.base, { viewport });
    if (asAdmin) await v.context.addCookies(await admin.context.cookies());
    await v.page.goto(`${server.base}${path}`);
    await assertAccessible(v.page, `${name} (${width})`);
    await screenshot(v.page, `proposal-${name}-${width}`);
    assert.deepEqual(v.foreign(), [], `requests to other hosts from ${name}`);
    await v.close();
  }
  reached.push(name);
}

/** A visitor proposes a campaign and confirms it from the mail; the private page's path. */
async function propose({ lang, ui, title, email }) {
  const v = await visitor(browser, server.base);
  const { page } = v;
  await page.goto(`${server.base}/?lang=${ui}`);
  await page.locator('.propose-links a.button').click();
  await page.waitForURL('**/propose');
  await page.locator('#f-lang').selectOption(lang);
  await page.locator('#f-title').fill(title);
  await page.locator('#f-target').fill('中華人民共和國國務院');
  await page.locator('#f-body').fill('我們要求立即釋放被囚禁的工人代表李旺陽。');
  await page.locator('#f-demands').fill('立即釋放李旺陽\n撤銷所有控罪');
  await page.locator('#f-name').fill('陳大文');
  await page.locator('#f-email').fill(email);
  await page.locator('form[action="/propose"] button[type=submit]').click();
  await page.waitForURL('**/propose/sent');
  const mail = await server.mailTo(email);
  const privatePath = new URL(linkIn(mail, `${server.base}/p/`)).pathname;
  await page.goto(`${server.base}${privatePath}`);
  await page.locator('form button[type=submit]').first().click();
  await page.waitForURL(`**${privatePath}`);
  const sponsorLink = await page.locator('#sponsor-link').inputValue();
  await v.close();
  return { privatePath, sponsorPath: new URL(sponsorLink).pathname };
}

/** One person signs from `path`'s form (posting to `action`) and confirms from their mail. */
async function signAndConfirm(path, email, name) {
  const v = await visitor(browser, server.base);
  const { page } = v;
  await page.goto(`${server.base}${path}`);
  await page.locator('#f-name').fill(name);
  await page.locator('#f-email').fill(email);
  await page.locator('#f-country').selectOption('HK');
  await page.locator('form.sign-form button[type=submit]').click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  const mail = await server.mailTo(email);
  await page.goto(linkIn(mail, `${server.base}/s/confirm/`));
  await page.getByRole('button', { name: 'Confirm my signature' }).click();
  await page.waitForLoadState();
  const text = await page.locator('main').innerText();
  await v.close();
  return text;
}

before(async () => {
  server = await startServer();
  browser = await launch();
  server.cli(['user', 'add', 'admin@example.org', '--admin', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
  admin = await visitor(browser, server.base);
  await admin.page.goto(`${server.base}/organise`);
  await admin.page.waitForURL('**/login?next=/organise');
  await admin.page.getByLabel('Email address').fill('admin@example.org');
  await admin.page.getByLabel('Password').fill(PASSWORD);
  await admin.page.getByRole('button', { name: 'Log in' }).click();
  await admin.page.waitForURL('**/organise');
});

after(async () => {
  await admin?.close();
  await browser?.close();
  await server?.stop();
});

describe('a petitions site', () => {
  let chinese;
  let other;
  let campaignPath;

  it('lets anyone propose, once an admin says so', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Site settings' }).click();
    await page.getByLabel(/^Anyone/).check();
    await page.getByLabel('Sponsors a proposal needs').fill('5');
    await page.getByLabel('In English').fill('6: The target is asked for a response');
    await page.getByRole('button', { name: 'Save the settings' }).click();
    await page.waitForURL('**/organise/settings?saved=1');
    assert.equal(await page.getByLabel('Sponsors a proposal needs').inputValue(), '5');
    await accessible('settings', '/organise/settings', { asAdmin: true });
    await accessible('form', '/propose?lang=zh-Hant');
  });

  it('takes a proposal in Chinese, confirmed from its mail, and five sponsors confirmed from theirs', async () => {
    chinese = await propose({ lang: 'zh-Hant', ui: 'zh-Hant', title: '釋放工人代表李旺陽', email: 'chan@example.org' });
    const mail = await server.mailTo('chan@example.org');
    assert.match(mail.subject, /確認/, 'the proposer reads Chinese');
    await accessible('private', chinese.privatePath);
    await accessible('sponsor', chinese.sponsorPath);
    let said;
    for (let i = 1; i <= 5; i++) {
      said = await signAndConfirm(chinese.sponsorPath, `sponsor${i}@example.org`, `Sponsor ${i}`);
      assert.match(said, new RegExp(`${i} of 5 sponsors`), said);
    }
    const waiting = await server.mailTo('admin@example.org');
    assert.match(waiting.subject, /waits for moderation/);
  });

  it('has a moderator reject another with a public reason and publish this one', async () => {
    other = await propose({ lang: 'en', ui: 'en', title: 'Free Li Wangyang now', email: 'other@example.org' });
    const { page } = admin;
    await page.goto(`${server.base}/organise/proposals`);
    await accessible('queue', '/organise/proposals', { asAdmin: true });
    const card = (title) => page.locator('.proposal-queue > li', { hasText: title });
    await card('Free Li Wangyang now').getByLabel('Reason for rejecting').selectOption('duplicate');
    await card('Free Li Wangyang now').getByLabel('Note').fill('See 釋放工人代表李旺陽, which asks the same.');
    await card('Free Li Wangyang now').getByRole('button', { name: 'Reject' }).click();
    await page.waitForURL('**/organise/proposals');
    await card('釋放工人代表李旺陽').getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL('**/organise/proposals');

    const rejected = await visitor(browser, server.base);
    await rejected.page.goto(`${server.base}/rejected`);
    const listed = await rejected.page.locator('main').innerText();
    assert.match(listed, /Free Li Wangyang now/);
    assert.match(listed, /There is already a petition about this\./);
    assert.match(listed, /which asks the same/);
    await rejected.close();
    await accessible('rejected', '/rejected');
    const told = await server.mailTo('other@example.org', 2);
    assert.match(told.subject, /Not published/);

    const published = await server.mailTo('chan@example.org', 2);
    assert.match(published.subject, /已公開/);
    campaignPath = new URL(linkIn(published, `${server.base}/c/`)).pathname;
    for (let i = 1; i <= 5; i++) {
      const mail = await server.mailTo(`sponsor${i}@example.org`, 2);
      assert.match(mail.subject, /Published/);
    }
    await accessible('decided-sponsor-link', chinese.sponsorPath);
    await accessible('decided-private', chinese.privatePath);
  });

  it('crosses a threshold and its organiser hears of it', async () => {
    const count = await (await fetch(`${server.base}${campaignPath}/count.json`)).json();
    assert.equal(count.signature_count, 5, 'the sponsors are its first signatures');
    const v = await visitor(browser, server.base);
    await v.page.goto(`${server.base}${campaignPath}`);
    assert.match(await v.page.locator('.threshold').innerText(), /Next threshold: 6 signatures/);
    await v.close();
    await signAndConfirm(campaignPath, 'sixth@example.org', 'Sixth Signer');
    // The proposer owns it: their organiser mail comes in the language they proposed in.
    const crossed = await server.mailTo('chan@example.org', 3);
    assert.match(crossed.subject, /已達到\s*6 個簽名/);
    const page = await visitor(browser, server.base);
    await page.page.goto(`${server.base}${campaignPath}`);
    assert.match(await page.page.locator('.thresholds-reached').innerText(), /6 reached on/);
    await page.close();
    await accessible('campaign-with-threshold', campaignPath);
  });

  it('finds it by a word of two characters, and every other new page passes axe', async () => {
    const v = await visitor(browser, server.base);
    await v.page.goto(`${server.base}/?lang=zh-Hant`);
    await v.page.locator('#f-q').fill('旺陽');
    await v.page.locator('.search-form button').click();
    await v.page.waitForURL('**/?q=*');
    const titles = await v.page.locator('.campaign-list h2').allInnerTexts();
    assert.deepEqual(titles, ['釋放工人代表李旺陽']);
    await v.close();
    await accessible('search', `/?q=${encodeURIComponent('旺陽')}&lang=zh-Hant`);
    await accessible('archive', '/archive');
    const slug = campaignPath.split('/').pop();
    await accessible('account', '/organise/account', { asAdmin: true });
    await accessible('thresholds', `/organise/c/${slug}/thresholds`, { asAdmin: true });
    await accessible('take-down', `/organise/c/${slug}/take-down`, { asAdmin: true });
    assert.ok(reached.length >= 14, reached.join(', '));
  });
});
