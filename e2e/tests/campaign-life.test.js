// A campaign's whole life in a real browser, as its organisers and signers live it: the first admin
// is created on the command line, writes a new campaign in two languages and opens it; someone signs
// from another browser; an organisation endorses and is approved; a spreadsheet of paper
// endorsements is imported; the delivery document is printed to PDF. An organiser without a role on
// the campaign is refused at every step.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { launch, screenshot, shots, visitor } from '../lib/browser.js';
import { linkIn, startServer } from '../lib/server.js';

const PASSWORD = 'organiser password 1';
const SLUG = 'save-the-docks';
let server;
let browser;

function cli(args) {
  return server.cli(args, { UNDERSIGNED_PASSWORD: PASSWORD });
}

async function logIn(page, email) {
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/organise');
}

before(async () => {
  server = await startServer(['--no-demo']);
  browser = await launch();
  cli(['user', 'add', 'lam@example.org', '--admin', '--name', 'Lam']);
  cli(['user', 'add', 'outsider@example.org', '--name', 'Outsider']);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a campaign from first draft to delivery', () => {
  it('is written, opened, signed, endorsed, imported and delivered', async () => {
    const admin = await visitor(browser, server.base);
    const page = admin.page;
    await logIn(page, 'lam@example.org');

    await page.getByRole('link', { name: 'Start a new campaign' }).click();
    await page.getByLabel('Title').fill('Save the docks');
    await page.getByLabel('Web address').fill(SLUG);
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.waitForURL(`**/organise/c/${SLUG}/edit`);

    await page.getByRole('link', { name: /English: Save the docks/ }).click();
    await page.getByLabel('Summary').fill('Keep the harbour in public hands.');
    await page.getByLabel('Addressed to').fill('The Harbour Board');
    await page.getByLabel('The appeal’s text').fill('The docks feed the city.\n\nWe ask the board to keep them public.');
    await page.getByLabel('Demand 1', { exact: true }).fill('Keep the docks public.');
    await page.getByRole('button', { name: 'Add a demand' }).click();
    await page.getByLabel('Demand 2', { exact: true }).fill('Meet the dockers’ union.');
    await page.getByRole('button', { name: 'Move demand 2 up' }).click();
    assert.equal(await page.getByLabel('Demand 1', { exact: true }).inputValue(), 'Meet the dockers’ union.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL('**/edit?saved=1');

    await page.getByLabel('Add a version in').selectOption('zh-Hant');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Title').fill('保衛碼頭');
    await page.getByLabel('Addressed to').fill('港口管理局');
    await page.getByLabel('The appeal’s text').fill('碼頭養活這個城市。');
    await page.getByLabel('Demand 1', { exact: true }).fill('保持碼頭公有。');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL('**/edit?saved=1');

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('button', { name: 'Open for signatures' }).click();
    await page.waitForURL(`**/organise/c/${SLUG}`);
    assert.equal(await page.locator('.status-box .status').innerText(), 'Open for signatures');

    // Someone signs, from another browser.
    const signer = await visitor(browser, server.base, { locale: 'zh-HK' });
    await signer.page.goto(`${server.base}/c/${SLUG}`);
    assert.equal(await signer.page.locator('h1').innerText(), '保衛碼頭');
    await signer.page.locator('#f-name').fill('Lee Siu Ming');
    await signer.page.locator('#f-email').fill('lee@example.org');
    await signer.page.locator('#f-country').selectOption('HK');
    await signer.page.locator('#f-display-full').check();
    await signer.page.locator('#sign button[type=submit]').click();
    const mail = await server.mailTo('lee@example.org');
    await signer.page.goto(linkIn(mail, `${server.base}/s/confirm/`));
    await signer.page.locator('form button[type=submit]').click();
    await signer.page.waitForURL(`**/c/${SLUG}/thanks**`);

    // An organisation endorses and is approved.
    await signer.page.goto(`${server.base}/c/${SLUG}/endorse?lang=en`);
    await signer.page.getByLabel('Name of the organisation').fill('Dockers’ Union');
    await signer.page.getByLabel('Trade union').check();
    await signer.page.getByLabel('Country or region').selectOption('HK');
    await signer.page.getByLabel('Contact person').fill('Chan');
    await signer.page.getByLabel('Contact email address').fill('office@dockers.example.org');
    await signer.page.getByRole('button', { name: 'Endorse' }).click();
    const endorsement = await server.mailTo('office@dockers.example.org');
    await signer.page.goto(linkIn(endorsement, `${server.base}/e/confirm/`));
    await signer.page.getByRole('button', { name: 'Confirm the endorsement' }).click();
    await signer.close();

    await page.getByRole('link', { name: 'Moderation' }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL('**/moderation');

    // A spreadsheet of paper endorsements.
    await page.getByRole('link', { name: 'Offline endorsements' }).click();
    await page.getByRole('link', { name: /Import a spreadsheet/ }).click();
    const csv = 'type,name,org_type,count,country,source\norganisation,Harbour Residents,ngo,,HK,paper forms\nindividuals,,,120,HK,"paper forms, pier rally"\n';
    await page.getByLabel(/The CSV file/).setInputFiles({ name: 'paper.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    assert.equal(await page.getByText('2 endorsements are ready to import').count(), 1);
    await page.getByRole('button', { name: 'Import these 2 endorsements' }).click();
    assert.equal(await page.getByText(/2 endorsements were imported/).count(), 1);

    // The public page now counts 1 online + 120 offline, and lists the organisations.
    const reader = await visitor(browser, server.base);
    await reader.page.goto(`${server.base}/c/${SLUG}`);
    assert.equal(await reader.page.locator('.count-number').first().innerText(), '121');
    assert.equal(await reader.page.locator('.endorser-list li', { hasText: 'Dockers’ Union' }).count(), 1);
    assert.equal(await reader.page.locator('.endorser-list li', { hasText: 'Harbour Residents' }).count(), 1);
    await reader.close();

    // The delivery document, printed to PDF.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    // A button (POST with the CSRF token), since it is logged as an export.
    await page.getByRole('button', { name: 'The delivery document in English (to print)' }).click();
    await page.waitForURL(`**/organise/c/${SLUG}/delivery/en`);
    assert.equal(await page.locator('h1').innerText(), 'Save the docks');
    assert.equal(await page.locator('.delivery-names li', { hasText: 'Lee Siu Ming' }).count(), 1);
    await screenshot(page, 'delivery-en-desktop');
    const pdf = join(shots, 'delivery-en.pdf');
    await page.pdf({ path: pdf, format: 'A4' });
    assert.ok(statSync(pdf).size > 10_000, 'a PDF was printed');
    assert.deepEqual(admin.foreign(), []);
    await admin.close();
  });

  it('refuses an organiser without a role on it at every step', async () => {
    const outsider = await visitor(browser, server.base);
    await logIn(outsider.page, 'outsider@example.org');
    assert.equal(await outsider.page.getByText('You have no role on any campaign yet.').count(), 1);
    for (const path of ['', '/edit', '/edit/en', '/moderation', '/endorsements/new', '/endorsements/import', '/team']) {
      const response = await outsider.page.goto(`${server.base}/organise/c/${SLUG}${path}`);
      assert.equal(response.status(), 403, path);
      assert.equal(await outsider.page.locator('h1').innerText(), 'Not allowed', path);
    }
    // The exports are forms (POST with the CSRF token): a link cannot start one, and the outsider's own token does not either.
    await outsider.page.goto(`${server.base}/organise`);
    const csrf = await outsider.page.locator('input[name=csrf]').first().inputValue();
    for (const path of ['/export.csv', '/delivery/en']) {
      const url = `${server.base}/organise/c/${SLUG}${path}`;
      assert.equal((await outsider.page.goto(url)).status(), 405, path);
      assert.equal((await outsider.page.request.post(url, { form: { csrf } })).status(), 403, path);
    }
    for (const path of ['/organise/new', '/organise/invite', '/organise/audit']) {
      assert.equal((await outsider.page.goto(`${server.base}${path}`)).status(), 403, path);
    }
    await outsider.close();
  });
});
