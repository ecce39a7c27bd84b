// Campaigning together (issue 16) in a real browser: an admin makes a lead and two partners and
// adds them to the campaign, each with its own link and consent question; a signer who came
// through partner A's link (with a source code) consents to A only; A's export, sealed to A's key
// and opened with Debian's `age`, holds them while B's does not; the signer withdraws the consent
// on the manage page, which reaches A's export and A's webhook (a receiver of the test's own);
// the campaign's dashboard shows the signatures by source and by partner. Nothing loads from
// elsewhere, and the pages pass axe.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertAccessible, launch, screenshot, visitor, logIn as logInAs } from '../lib/browser.js';
import { linkIn, startServer } from '../lib/server.js';

const PASSWORD = 'organiser password 1';
const DEMO = '/c/release-cai-guangye';
const work = mkdtempSync(join(tmpdir(), 'undersigned-coalitions-'));
const SIGNER = 'through-a@signers.example';
let server;
let browser;
let receiver;
const heard = [];

/** A key pair made by Debian's `age-keygen`: [identity file, public key]. */
function keyPair(name) {
  const file = join(work, name);
  execFileSync('age-keygen', ['-o', file], { stdio: 'ignore' });
  return [file, execFileSync('age-keygen', ['-y', file], { encoding: 'utf8' }).trim()];
}

const logIn = (page, email) => logInAs(page, server.base, email, PASSWORD);

/** The organisation's export for the demo campaign, downloaded and opened with `age -d`. */
async function exported(page, slug, identity) {
  await page.goto(`${server.base}/organise/organisations/${slug}`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export the signers who consented (sealed to its key)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^release-cai-guangye-.*-consenting\.csv\.age$/);
  const sealed = readFileSync(await download.path());
  return execFileSync('age', ['-d', '-i', identity], { input: sealed }).toString();
}

async function waitForHook(count) {
  for (let i = 0; i < 400; i++) {
    if (heard.length >= count) return heard;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${count} webhook deliveries did not arrive: ${JSON.stringify(heard)}`);
}

before(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      heard.push(JSON.parse(body));
      response.end('ok');
    });
  });
  await new Promise((ok) => receiver.listen(0, '127.0.0.1', ok));
  server = await startServer(['--webhook-allow-private', '--webhook-retry-schedule', '1s,1s']);
  browser = await launch();
  server.cli(['user', 'add', 'admin@example.org', '--admin', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
  server.cli(['user', 'add', 'alice@a.example', '--name', 'Alice'], { UNDERSIGNED_PASSWORD: PASSWORD });
  server.cli(['user', 'add', 'bob@b.example', '--name', 'Bob'], { UNDERSIGNED_PASSWORD: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  receiver?.close();
});

describe('a lead and two partners', () => {
  const [aKey, aPublic] = keyPair('a.txt');
  const [bKey, bPublic] = keyPair('b.txt');

  it('are made by an admin, each with its own admin, and join the campaign', async () => {
    const v = await visitor(browser, server.base);
    const { page } = v;
    await logIn(page, 'admin@example.org');
    await page.getByRole('link', { name: 'Organisations' }).click();
    await page.waitForURL('**/organise/organisations');
    for (const [name, slug, admin] of [['Lead Alliance', 'lead', null], ['A Union', 'a-union', 'alice@a.example'], ['B NGO', 'b-ngo', 'bob@b.example']]) {
      await page.goto(`${server.base}/organise/organisations`);
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Short name in links').fill(slug);
      await page.getByLabel('Country or region').fill('HK');
      await page.getByLabel('Website').fill(`https://${slug}.example.org`);
      await page.getByRole('button', { name: 'Add the organisation' }).click();
      await page.waitForURL(`**/organise/organisations/${slug}`);
      if (admin) {
        await page.getByLabel('Email address').fill(admin);
        await page.locator('#f-member_role-admin').check();
        await page.getByRole('button', { name: 'Add', exact: true }).click();
        await page.getByRole('cell', { name: admin, exact: true }).waitFor();
      }
    }
    await assertAccessible(page, 'an organisation’s page');

    await page.goto(`${server.base}/organise/c/release-cai-guangye/partners`);
    for (const [slug, lead, text] of [['lead', true, ''], ['a-union', false, 'A Union may tell me about its work'], ['b-ngo', false, 'B NGO may tell me about its work']]) {
      await page.getByLabel('Organisation', { exact: true }).selectOption(slug);
      if (lead) await page.locator('#f-lead').check();
      await page.locator('#f-consent').check();
      await page.getByRole('button', { name: 'Add the partner' }).click();
      await page.waitForURL('**/partners');
      if (text) {
        await page.locator(`#consent_text_en-${slug}`).fill(text);
        await page.locator(`#partner-${slug}`).getByRole('button', { name: 'Save' }).click();
        await page.waitForURL('**/partners');
      }
    }
    await page.getByText(`${server.base}${DEMO}?via=a-union`).waitFor();
    await assertAccessible(page, 'the campaign’s partners');
    await screenshot(page, 'coalition-partners');
    assert.deepEqual(v.foreign(), []);
    await v.close();
  });

  it('set their own keys, and A its own webhook', async () => {
    for (const [email, slug, publicKey] of [['alice@a.example', 'a-union', aPublic], ['bob@b.example', 'b-ngo', bPublic]]) {
      const v = await visitor(browser, server.base);
      const { page } = v;
      await logIn(page, email);
      await page.goto(`${server.base}/organise/organisations/${slug}`);
      await page.getByText(`${server.base}${DEMO}?via=${slug}`).waitFor();
      await page.getByLabel('Public key').fill(publicKey);
      await page.getByRole('button', { name: 'Save the key' }).click();
      await page.getByText(publicKey).first().waitFor();
      if (slug === 'a-union') {
        await page.getByLabel('Address (URL)').fill(`http://127.0.0.1:${receiver.address().port}/hook`);
        await page.getByRole('button', { name: 'Add the endpoint' }).click();
        await page.locator('#webhook-secret').waitFor();
      }
      await v.close();
    }
  });

  it('ask a signer through A for consent to A and the lead, never to B', async () => {
    const v = await visitor(browser, server.base);
    const { page } = v;
    await page.goto(`${server.base}${DEMO}?via=a-union&src=newsletter`);
    const partners = await page.locator('.partner-list li').allInnerTexts();
    assert.deepEqual(partners.map((p) => p.split(' (')[0]), ['Lead Alliance', 'A Union', 'B NGO']);
    assert.equal(await page.getByText('A Union may tell me about its work').count(), 1);
    assert.equal(await page.getByText('B NGO may tell me about its work').count(), 0);
    await page.getByText('Let Lead Alliance keep me informed').waitFor();
    await assertAccessible(page, 'the campaign page through a partner’s link');
    await page.getByLabel('Your name', { exact: true }).fill('Wong Siu Ming');
    await page.getByLabel('Your email address', { exact: true }).fill(SIGNER);
    await page.getByLabel('Country or region').selectOption({ label: 'Hong Kong' });
    await page.getByLabel('A Union may tell me about its work').check();
    await screenshot(page, 'coalition-sign-form');
    await page.getByRole('button', { name: 'Sign' }).click();
    await page.waitForURL(`**${DEMO}/check-email`);
    const mail = await server.mailTo(SIGNER);
    await page.goto(linkIn(mail, `${server.base}/s/confirm/`));
    await page.getByRole('button', { name: 'Confirm my signature' }).click();
    await page.waitForURL(`**${DEMO}/thanks**`);
    assert.deepEqual(v.foreign(), []);
    await v.close();
  });

  it('export only their own consenting signers, and A hears of its own', async () => {
    const alice = await visitor(browser, server.base);
    await logIn(alice.page, 'alice@a.example');
    const a = await exported(alice.page, 'a-union', aKey);
    assert.ok(a.includes(SIGNER) && a.includes('newsletter'), a);
    const bob = await visitor(browser, server.base);
    await logIn(bob.page, 'bob@b.example');
    const b = await exported(bob.page, 'b-ngo', bKey);
    assert.ok(!b.includes(SIGNER), b);
    const response = await bob.page.goto(`${server.base}/organise/organisations/a-union`);
    assert.equal(response.status(), 404, 'B sees nothing of A');
    await bob.close();
    const [confirmed] = await waitForHook(1);
    assert.equal(confirmed.type, 'signature.confirmed');
    assert.equal(confirmed.data['osdi:signature'].referrer_data.source, 'newsletter');
    await alice.close();
  });

  it('hear of a consent withdrawn: gone from A’s export, and A’s webhook told', async () => {
    const v = await visitor(browser, server.base);
    const { page } = v;
    await page.goto(`${server.base}${DEMO}/manage`);
    await page.getByLabel('Your email address').fill(SIGNER);
    await page.getByRole('button', { name: 'Send me the link' }).click();
    await server.mailTo(SIGNER, 2);
    // The mails' files are not in the order they were sent: the one with the manage link.
    const mail = server.mails().find((m) => m.to.includes(SIGNER) && m.text.includes(`${server.base}/s/manage/`));
    await page.goto(linkIn(mail, `${server.base}/s/manage/`));
    await page.getByText('You agreed that A Union may keep you informed.').waitFor();
    await assertAccessible(page, 'the manage page with a consent');
    await page.getByRole('button', { name: 'Withdraw this consent A Union' }).click();
    await page.waitForURL('**saved=1');
    assert.equal(await page.getByText('You agreed that A Union may keep you informed.').count(), 0);
    await v.close();
    const hooks = await waitForHook(2);
    assert.equal(hooks[1].type, 'consent.withdrawn');
    assert.equal(hooks[1].data.organisation, 'a-union');
    const alice = await visitor(browser, server.base);
    await logIn(alice.page, 'alice@a.example');
    assert.ok(!(await exported(alice.page, 'a-union', aKey)).includes(SIGNER));
    await alice.close();
  });

  it('show on the dashboard by source and by partner', async () => {
    const v = await visitor(browser, server.base);
    const { page } = v;
    await logIn(page, 'admin@example.org');
    await page.goto(`${server.base}/organise/c/release-cai-guangye`);
    const bySource = await page.locator('#by-source').innerText();
    assert.match(bySource, /newsletter\s+1/);
    const byPartner = await page.locator('#by-partner').innerText();
    assert.match(byPartner, /A Union\s+1/);
    await assertAccessible(page, 'the dashboard by source');
    await screenshot(page, 'coalition-dashboard');
    assert.deepEqual(v.foreign(), []);
    await v.close();
  });
});
