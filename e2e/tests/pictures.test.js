// Pictures in a real browser (issue 15): an organiser, without JavaScript, uploads a phone's photo
// with its GPS position and camera in it; the alt text is required; the picture shows in the
// campaign's text in the widths the browser picks from, and as its share picture; what the server
// serves has no metadata (exiftool, when installed, finds none); the pictures page and the campaign
// page pass axe at desktop and phone widths and load nothing from another host.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assertAccessible, launch, screenshot, viewports, visitor } from '../lib/browser.js';
import { startServer } from '../lib/server.js';

const DEMO = '/c/release-cai-guangye';
const ORG = '/organise/c/release-cai-guangye';
// A 1000 × 640 JPEG with EXIF (GPS position, make, model, serial number, date), XMP, IPTC and a
// comment, as a phone writes them; the server's HTTP tests use it too.
const PHOTO = resolve(import.meta.dirname, '..', '..', 'crates', 'server', 'tests', 'fixtures', 'protest-gps.jpg');
const PASSWORD = 'organiser password 1';
let server;
let browser;
let key;

async function logIn(page) {
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Email address').fill('admin@example.org');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/organise');
}

/** exiftool's tags for a file, if Debian's libimage-exiftool-perl is installed. */
function exiftool(path) {
  try {
    return execFileSync('exiftool', ['-a', '-G1', '-s', path], { encoding: 'utf8' });
  } catch (error) {
    // CI installs it (.ci/run, e2e/run); elsewhere the check is skipped.
    if (error.code === 'ENOENT' && !process.env.CI) return null;
    throw error;
  }
}

before(async () => {
  server = await startServer();
  browser = await launch();
  server.cli(['user', 'add', 'admin@example.org', '--admin', '--name', 'Lam'], { UNDERSIGNED_PASSWORD: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('pictures', () => {
  it('an organiser without JavaScript uploads a photo, which needs its alt text and loses its metadata', async () => {
    const v = await visitor(browser, server.base, { javaScript: false });
    const { page } = v;
    await logIn(page);
    await page.goto(`${server.base}${ORG}/edit`);
    await page.getByRole('link', { name: 'Pictures', exact: true }).click();
    await page.waitForURL(`**${ORG}/pictures`);

    // No alt text: refused by its field, nothing kept.
    await page.getByLabel('Picture', { exact: true }).setInputFiles(PHOTO);
    await page.getByRole('button', { name: 'Upload the picture' }).click();
    assert.equal(await page.locator('#f-alt-error').textContent(), 'Describe the picture for people who cannot see it: 1 to 300 characters, on one line.');
    assert.equal(await page.locator('.picture-item').count(), 0);

    await page.getByLabel('Alt text').fill('Dockers holding a banner at the harbour gate');
    await page.getByLabel('Picture', { exact: true }).setInputFiles(PHOTO);
    await page.getByRole('button', { name: 'Upload the picture' }).click();
    await page.waitForURL(`**${ORG}/pictures?done=picture-added`);
    assert.equal(await page.getByText('The picture was uploaded.').count(), 1);
    const markdown = await page.getByLabel('To show it in the text, paste:').inputValue();
    assert.match(markdown, /^!\[Dockers holding a banner at the harbour gate\]\(\/media\/[0-9a-f]{32}\)$/);
    key = markdown.match(/[0-9a-f]{32}/)[0];
    await page.getByRole('button', { name: 'Use when the campaign is shared' }).click();
    assert.equal(await page.getByText('That picture is now shown when the campaign is shared.').count(), 1);

    // Into the English text, through the version editor.
    await page.goto(`${server.base}${ORG}/edit/en`);
    const body = page.locator('#f-body');
    await body.fill(`${await body.inputValue()}\n\n${markdown}`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/edit/en'));

    // What the server serves, read by exiftool: nothing but the picture.
    const dir = mkdtempSync(join(tmpdir(), 'undersigned-pictures-'));
    for (const width of [480, 960, 1000]) {
      const response = await page.request.get(`${server.base}/media/${key}/${width}`);
      assert.equal(response.status(), 200);
      assert.equal(response.headers()['content-type'], 'image/jpeg');
      assert.equal(response.headers()['cache-control'], 'public, max-age=31536000, immutable');
      const path = join(dir, `${width}.jpg`);
      writeFileSync(path, await response.body());
      const tags = exiftool(path);
      if (tags === null) continue;
      for (const tag of ['GPS', 'Make', 'Model', 'Serial', 'Comment', 'XMP', 'IPTC', 'DateTimeOriginal']) {
        assert.ok(!tags.includes(tag), `exiftool finds ${tag} in the ${width} wide rendition:\n${tags}`);
      }
    }
    assert.ok(exiftool(PHOTO) === null || exiftool(PHOTO).includes('GPSLatitude'), 'the fixture itself has a GPS position');
    assert.deepEqual(v.foreign(), []);
    await v.close();
  });

  for (const [width, viewport] of Object.entries(viewports)) {
    it(`the campaign page shows the picture and passes axe at ${width} width`, async () => {
      const v = await visitor(browser, server.base, { viewport });
      const { page } = v;
      await page.goto(`${server.base}${DEMO}?lang=en`);
      const picture = page.locator('.campaign-body img');
      assert.equal(await picture.getAttribute('alt'), 'Dockers holding a banner at the harbour gate');
      assert.equal(await picture.getAttribute('srcset'), `/media/${key}/480 480w, /media/${key}/960 960w, /media/${key}/1000 1000w`);
      await picture.scrollIntoViewIfNeeded();
      await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await picture.elementHandle());
      // The browser picked a rendition for the screen: a phone does not load the widest.
      const chosen = await picture.evaluate((img) => img.currentSrc);
      assert.match(chosen, new RegExp(`/media/${key}/(480|960|1000)$`));
      assert.equal(await page.locator('meta[property="og:image"]').getAttribute('content'), `${server.base}/media/${key}/1000`);
      await assertAccessible(page, `campaign page with a picture (${width})`);
      await screenshot(page, `campaign-picture-${width}`);
      assert.deepEqual(v.foreign(), []);
      await v.close();
    });

    it(`the pictures page passes axe at ${width} width`, async () => {
      const v = await visitor(browser, server.base, { viewport });
      const { page } = v;
      await logIn(page);
      await page.goto(`${server.base}${ORG}/pictures`);
      assert.equal(await page.locator('.picture-item').count(), 1);
      assert.equal(await page.locator('.picture-item img').evaluate((img) => img.complete && img.naturalWidth), 480);
      await assertAccessible(page, `pictures page (${width})`);
      await screenshot(page, `pictures-${width}`);
      // And with the upload form's errors by their fields.
      await page.getByRole('button', { name: 'Upload the picture' }).click();
      assert.equal(await page.locator('#f-file-error').textContent(), 'Choose a picture to upload.');
      assert.equal(await page.locator('#f-alt-error').count(), 1);
      await assertAccessible(page, `pictures page with errors (${width})`);
      await screenshot(page, `pictures-errors-${width}`);
      assert.deepEqual(v.foreign(), []);
      await v.close();
    });
  }
});
