// Keys and sealed exports in a real browser: an organiser makes an age key pair in the page (the
// secret key shown once, never sent), registers it and proves it with Debian's real `age`; a
// sealed export made with the real `age`, with a column sealed again per row, opens on /open with
// that key, both layers, into a clear CSV to save; a wrong key says so. Nothing loads from
// elsewhere, the pages pass axe, and without JavaScript /open shows the age command.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertAccessible, launch, screenshot, visitor, logIn as logInAs } from '../lib/browser.js';
import { startServer } from '../lib/server.js';

const PASSWORD = 'organiser password 1';
const work = mkdtempSync(join(tmpdir(), 'undersigned-sealed-'));
let server;
let browser;

/** The real `age`, Debian's. */
function age(args, input) {
  return execFileSync('age', args, { input });
}

const logIn = (page, email) => logInAs(page, server.base, email, PASSWORD);

before(async () => {
  server = await startServer();
  browser = await launch();
  server.cli(['user', 'add', 'lam@example.org', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('an organiser’s own key', () => {
  it('is made in the browser, registered, and proved with the real age', async () => {
    const v = await visitor(browser, server.base);
    const { page } = v;
    const sent = [];
    page.on('request', (r) => { if (r.method() === 'POST') sent.push(r.postData() || ''); });
    await logIn(page, 'lam@example.org');
    await page.getByRole('link', { name: 'Your keys' }).click();
    await page.waitForURL('**/organise/keys');
    await page.getByRole('button', { name: 'Make a key pair in this browser' }).click();
    const identity = await page.getByLabel('Your secret key: save it now, it is not shown again').inputValue();
    assert.match(identity, /^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    const recipient = await page.getByLabel('Public key').inputValue();
    assert.match(recipient, /^age1[0-9a-z]{58}$/);
    // The file the page offers is the identity, as age reads it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Save the secret key as a file' }).click(),
    ]);
    const keyFile = join(work, 'key.txt');
    await download.saveAs(keyFile);
    assert.ok(readFileSync(keyFile, 'utf8').includes(identity));
    await assertAccessible(page, '/organise/keys with a key made');
    await page.getByRole('button', { name: 'Register the key' }).click();
    await page.getByText('waiting for its code').waitFor();
    const challenge = await page.locator('textarea.challenge').inputValue();
    const opened = age(['-d', '-i', keyFile], challenge).toString();
    const code = opened.split('\n').find((l) => l.startsWith('    ')).trim();
    await page.getByLabel('The code in the message').fill('WRONG-CODE2');
    await page.getByRole('button', { name: 'Activate the key' }).click();
    await page.getByText('This is not the code in the sealed message').first().waitFor();
    // Opened in the page as well, with the secret key pasted: the same code, put in the form.
    await page.getByLabel('Or open it here: paste your secret key').fill('AGE-SECRET-KEY-1' + 'Q'.repeat(58));
    await page.getByRole('button', { name: 'Open the message here' }).click();
    await page.getByText('This secret key does not open the message').waitFor();
    await page.getByLabel('Or open it here: paste your secret key').fill(identity);
    await page.getByRole('button', { name: 'Open the message here' }).click();
    await page.waitForFunction((c) => document.querySelector('input[name=key_code]').value === c, code);
    await assertAccessible(page, '/organise/keys with a challenge');
    await page.getByRole('button', { name: 'Activate the key' }).click();
    await page.locator('.key-active').waitFor();
    await screenshot(page, 'keys-active');
    assert.ok(!sent.some((body) => body.includes('AGE-SECRET-KEY')), 'the secret key is never sent');
    assert.deepEqual(v.foreign(), []);
    await v.close();
  });
});

describe('a sealed export opened in the browser', () => {
  it('opens both layers with the key and offers the clear CSV', async () => {
    execFileSync('age-keygen', ['-o', join(work, 'owner.txt')], { stdio: 'ignore' });
    execFileSync('age-keygen', ['-o', join(work, 'other.txt')], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', join(work, 'owner.txt')], { encoding: 'utf8' }).trim();
    const cell = (text) => age(['-r', recipient], text).toString('base64');
    const csv = 'kind,name,country,private_sealed\r\n'
      + `signature,Chan W.,HK,${cell('{"name":"Chan Wei","city":"Sham Shui Po"}')}\r\n`
      + `signature,"Lee, K.",HK,${cell('{"comment":"Free him, now"}')}\r\n`;
    const sealedFile = join(work, 'campaign-signatures.csv.age');
    writeFileSync(sealedFile, age(['-r', recipient], csv));

    const v = await visitor(browser, server.base);
    const { page } = v;
    await page.goto(`${server.base}/open`);
    await assertAccessible(page, '/open');
    await page.getByLabel('Your secret key file (key.txt)').setInputFiles(join(work, 'other.txt'));
    await page.getByLabel('The sealed export (.csv.age)').setInputFiles(sealedFile);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByText('This key does not open this file').waitFor();

    await page.getByLabel('Your secret key file (key.txt)').setInputFiles(join(work, 'owner.txt'));
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByText('Opened: 2 rows.').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Save the opened CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'campaign-signatures.csv');
    const opened = readFileSync(await download.path(), 'utf8');
    assert.ok(opened.includes('"{""name"":""Chan Wei"",""city"":""Sham Shui Po""}"'), opened);
    assert.ok(opened.includes('"Lee, K."') && opened.includes('Free him, now'), opened);
    await screenshot(page, 'open-export');
    assert.deepEqual(v.foreign(), []);
    await v.close();
  });

  it('says how to open it with age when JavaScript is off', async () => {
    const v = await visitor(browser, server.base, { javaScript: false });
    await v.page.goto(`${server.base}/open`);
    await v.page.getByText('This page needs JavaScript to open a file').waitFor();
    await v.page.getByText('age -d -i key.txt -o signatures.csv campaign-signatures.csv.age').waitFor();
    assert.equal(await v.page.locator('#open-form').isVisible(), false);
    await v.close();
  });
});
