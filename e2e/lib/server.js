// Starts the real `undersigned` server (built by `cargo build`) on SQLite in a fresh data directory,
// with no SMTP server: mail is written as .eml files, which the tests open as a person opens mail.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const binary = join(root, 'target', 'debug', 'undersigned');

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/**
 * Starts the server; with `localhost`, its base URL is `http://localhost:PORT` (passkeys: browsers
 * take no IP address as a WebAuthn relying party).
 */
export async function startServer(extraArgs = [], { localhost = false } = {}) {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run cargo build -p undersigned first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'undersigned-e2e-'));
  const port = await freePort();
  const base = `http://${localhost ? 'localhost' : '127.0.0.1'}:${port}`;
  const baseUrl = localhost ? ['--base-url', base] : [];
  // Pages are read right after they change: no page cache in these tests.
  const child = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, '--page-cache-ms', '0', ...baseUrl, ...extraArgs], {
    env: { ...process.env, RUST_LOG: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`the server exited:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    dataDir,
    log: () => log,
    /** Runs a command of the binary (`user add`, `endorsement list`...) on this server's database and data directory; its output. */
    cli(args, env = {}) {
      const database = `sqlite://${join(dataDir, 'undersigned.db')}`;
      return execFileSync(binary, [...args, '--database', database, '--data-dir', dataDir], { encoding: 'utf8', env: { ...process.env, ...env } });
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
    /** The raw mails written so far, newest last. */
    rawMails() {
      return mailFiles(join(dataDir, 'mail')).map((path) => readFileSync(path, 'utf8'));
    },
    /** The mails written so far, newest last, each as { to, subject, text }. */
    mails() {
      return this.rawMails().map(parseMail);
    },
    /** Waits for a mail to `to` and returns it. */
    async mailTo(to, count = 1) {
      for (let i = 0; i < 200; i++) {
        const found = this.mails().filter((m) => m.to.includes(to));
        if (found.length >= count) return found[count - 1];
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no mail to ${to}; mails: ${JSON.stringify(this.mails().map((m) => m.to))}`);
    },
  };
}

/**
 * The paths of the mails in `dir`, by name (the time each was queued, then its id). Only `*.eml`:
 * the server writes each mail to a `.writing-*` file first and links it to its name when whole, so
 * for a moment the same mail is there twice.
 */
export function mailFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith('.eml')).sort().map((name) => join(dir, name));
}

// Quoted-printable (RFC 2045), as lettre writes text parts that are not plain ASCII.
function decodeQuotedPrintable(text) {
  const bytes = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeHeader(value) {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc, data) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeQuotedPrintable(data.replace(/_/g, ' ')));
}

/** The To and Subject headers and the decoded text/plain part of a message. */
export function parseMail(raw) {
  const [head] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name) => (unfolded.match(new RegExp(`^${name}: (.*)$`, 'mi')) || [, ''])[1];
  const part = raw.split(/Content-Type: text\/plain[^\n]*\n/i)[1] || '';
  const encoding = (part.match(/^Content-Transfer-Encoding: (\S+)/mi) || [, '7bit'])[1].toLowerCase();
  let body = part.split(/\r?\n\r?\n/).slice(1).join('\n\n').split(/\r?\n--/)[0];
  if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body);
  if (encoding === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { to: decodeHeader(header('To')), subject: decodeHeader(header('Subject')), text: body };
}

/** The first link in a mail's text that starts with `prefix`. */
export function linkIn(mail, prefix) {
  const start = mail.text.indexOf(prefix);
  if (start < 0) throw new Error(`no link ${prefix} in:\n${mail.text}`);
  return mail.text.slice(start).split(/\s/)[0];
}
