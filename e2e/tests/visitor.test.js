// A visitor's flows in a real browser, with JavaScript on and off: read the demo campaign in both
// languages, sign, open the mail's link, confirm and see the count change; endorse as an
// organisation; sign with the keyboard alone. No page may load anything from another host.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, viewports, visitor } from '../lib/browser.js';
import { linkIn, startServer } from '../lib/server.js';

const DEMO = '/c/release-cai-guangye';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function count(page) {
  return Number((await page.locator('.count-number').first().innerText()).replace(/,/g, ''));
}

async function fillSignForm(page, { name, email, country = 'Hong Kong', display = 'full' }) {
  await page.getByLabel('Your name', { exact: true }).fill(name);
  await page.getByLabel('Your email address', { exact: true }).fill(email);
  await page.getByLabel('Country or region').selectOption({ label: country });
  await page.locator(`#f-display-${display}`).check();
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript';

  describe(`a visitor ${mode}`, () => {
    it('reads the demo campaign in English, then in Chinese', async () => {
      const v = await visitor(browser, server.base, { javaScript });
      const { page } = v;
      await page.goto(`${server.base}/`);
      await page.getByRole('link', { name: /Free Cai Guangye/ }).click();
      await page.waitForURL(`**${DEMO}`);
      assert.equal(await page.locator('h1').innerText(), 'Free Cai Guangye, jailed for writing about laid-off workers');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await page.locator('.demands ol > li').count(), 4);

      await page.getByRole('navigation', { name: 'Language', exact: true }).getByRole('link', { name: '繁體中文' }).click();
      await page.waitForURL(`**${DEMO}?lang=zh-Hant`);
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hant');
      assert.match(await page.locator('h1').innerText(), /^釋放 Cai Guangye/);
      assert.equal(await page.getByRole('heading', { name: '我們的要求' }).count(), 1);
      // The choice is remembered.
      await page.goto(`${server.base}/`);
      assert.equal(await page.locator('h1').innerText(), '聯署運動');
      assert.deepEqual(v.foreign(), []);
      await v.close();
    });

    it('signs, confirms from the mail, and sees the count change', async () => {
      const v = await visitor(browser, server.base, { javaScript });
      const { page } = v;
      const email = `reader-${javaScript ? 'js' : 'nojs'}@example.org`;
      const name = javaScript ? 'Lee Wing Yan' : 'Ho Ka Ming';
      await page.goto(`${server.base}${DEMO}`);
      const before = await count(page);
      await fillSignForm(page, { name, email });
      await page.getByRole('button', { name: 'Sign' }).click();
      await page.waitForURL(`**${DEMO}/check-email`);
      assert.equal(await page.locator('h1').innerText(), 'Check your email');

      const mail = await server.mailTo(email);
      assert.match(mail.subject, /^Please confirm your signature: Free Cai Guangye/);
      await page.goto(linkIn(mail, `${server.base}/s/confirm/`));
      assert.equal(await page.locator('h1').innerText(), 'Confirm your signature');
      await page.getByRole('button', { name: 'Confirm my signature' }).click();
      await page.waitForURL(`**${DEMO}/thanks**`);
      assert.equal(await page.locator('h1').innerText(), 'Thank you: your signature counts');
      assert.equal(await count(page), before + 1);

      await page.goto(`${server.base}${DEMO}`);
      assert.equal(await count(page), before + 1);
      assert.equal(await page.locator('.latest .signer-name', { hasText: name }).count(), 1);
      assert.equal(await page.getByText(email).count(), 0, 'the address is never shown');
      assert.deepEqual(v.foreign(), []);
      await v.close();
    });

    it('endorses as an organisation, listed once the organisers approve', async () => {
      const v = await visitor(browser, server.base, { javaScript });
      const { page } = v;
      const organisation = javaScript ? 'Harbour Workers Union' : 'Kowloon Labour Rights Group';
      const email = `office-${javaScript ? 'js' : 'nojs'}@union.example.org`;
      await page.goto(`${server.base}${DEMO}`);
      await page.getByRole('link', { name: 'Endorse this campaign as an organisation' }).click();
      await page.getByLabel('Name of the organisation').fill(organisation);
      await page.getByLabel('Trade union').check();
      await page.getByLabel('Country or region').selectOption({ label: 'Taiwan' });
      await page.getByLabel('Contact person').fill('Chen Mei');
      await page.getByLabel('Contact email address').fill(email);
      await page.getByRole('button', { name: 'Endorse' }).click();
      await page.waitForURL(`**${DEMO}/check-email`);

      const mail = await server.mailTo(email);
      await page.goto(linkIn(mail, `${server.base}/e/confirm/`));
      await page.getByRole('button', { name: 'Confirm the endorsement' }).click();
      assert.equal(await page.locator('h1').innerText(), 'Thank you: the endorsement is confirmed');

      const listed = server.cli(['endorsement', 'list']);
      const id = listed.split('\n').find((line) => line.includes(organisation)).match(/^#(\d+)/)[1];
      server.cli(['endorsement', 'approve', id]);
      await page.goto(`${server.base}${DEMO}`);
      const taiwan = page.locator('.endorsements h3', { hasText: 'Taiwan' });
      assert.equal(await taiwan.count(), 1);
      assert.equal(await page.locator('.endorser-list li', { hasText: organisation }).count(), 1);
      assert.deepEqual(v.foreign(), []);
      await v.close();
    });
  });
}

describe('a visitor whose browser reads Traditional Chinese', () => {
  it('sees everything in Chinese, form errors included, and what was typed is kept', async () => {
    const v = await visitor(browser, server.base, { locale: 'zh-TW', viewport: viewports.phone });
    const { page } = v;
    await page.goto(`${server.base}${DEMO}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hant');
    await page.locator('#f-name').fill('陳大文');
    await page.locator('#f-email').fill('不是電郵');
    await page.locator('#sign button[type=submit]').click();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hant');
    const alert = await page.locator('.form-alert').innerText();
    assert.match(alert, /請/);
    assert.match(alert, /請檢查下面標示的欄位/);
    assert.doesNotMatch(alert.replace('name@example.org', ''), /[A-Za-z]{4,}/, `the alert is in Chinese: ${alert}`);
    assert.equal(await page.locator('#f-name').inputValue(), '陳大文');
    assert.equal(await page.locator('#f-email').inputValue(), '不是電郵');
    assert.ok(await page.locator('#f-email-error').isVisible());
    await screenshot(page, 'sign-errors-zh-Hant-phone');
    await page.goto(`${server.base}/c/no-such-campaign`);
    assert.equal(await page.locator('h1').innerText(), '找不到頁面');
    assert.deepEqual(v.foreign(), []);
    await v.close();
  });
});

describe('a visitor with only a keyboard', () => {
  it('signs by tabbing through the form', async () => {
    const v = await visitor(browser, server.base);
    const { page } = v;
    await page.goto(`${server.base}${DEMO}`);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name') || document.activeElement?.tagName);
    let steps = 0;
    while ((await focused()) !== 'name') {
      await page.keyboard.press('Tab');
      assert.ok(++steps < 80, 'the name field is reachable with Tab');
    }
    await page.keyboard.type('Keyboard User');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'email');
    await page.keyboard.type('keys@example.org');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'country');
    await page.keyboard.type('Macao');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'city');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'affiliation');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'comment');
    await page.keyboard.type('Typed without a mouse.');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'display');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement.value), 'first-initial');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'opt_in');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    // The hidden bot trap is skipped: next is the privacy notice's link, beside the button.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '/privacy', 'the hidden bot trap is skipped');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'BUTTON');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**${DEMO}/check-email`);

    const mail = await server.mailTo('keys@example.org');
    await page.goto(linkIn(mail, `${server.base}/s/confirm/`));
    await page.keyboard.press('Tab');
    while ((await focused()) !== 'BUTTON') await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**${DEMO}/thanks**`);
    await page.goto(`${server.base}${DEMO}/signatures`);
    const signer = page.locator('.signer-list li', { hasText: 'Keyboard U.' });
    assert.equal(await signer.count(), 1);
    assert.match(await signer.innerText(), /Macao/);
    assert.deepEqual(v.foreign(), []);
    await v.close();
  });
});
