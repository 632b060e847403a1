// Shared pieces of the browser tests: the embedded runtime started by each test
// file (fresh data directory, free port, demo data), headless Chromium from the
// system driven by playwright-core, API helpers and screenshots.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '..', '..');
export const SCREENSHOTS = join(REPO, 'test-output', 'screenshots');
export const DEMO_PASSWORD = 'Demo-ConsoRes-2026';
export const ADMIN = { email: 'admin@consores.fr', password: 'Admin-ConsoRes-2026' };

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** Starts `python -m infra.local` on a free port with a fresh data directory and the demo; `env`: settings of
 * the platform's (CONSORES_MFA_REQUIRED_PROFILES…) added to the test's environment. */
export async function startPlatform({ timeoutMs = 180_000, env = {} } = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'consores-e2e-'));
  const python = process.env.CONSORES_PYTHON || join(REPO, '.venv', 'bin', 'python');
  const child = spawn(python, ['-m', 'infra.local'], {
    cwd: REPO,
    env: { ...process.env, ...env, CONSORES_PORT: String(port), CONSORES_DATA_DIR: dataDir, CONSORES_DEMO: '1', PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`platform not ready after ${timeoutMs} ms:\n${output.slice(-3000)}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('Ctrl+C')) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`platform exited (${code}) before it was ready:\n${output.slice(-3000)}`));
    });
  });
  try {
    await ready;
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A fresh context (own session storage) with a French locale, and its page. */
export async function newPage(browser, base) {
  const context = await browser.newContext({ baseURL: base, locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.problems = problems;
  return page;
}

/** Waits until no "Chargement…" status remains, then saves a full-page PNG. */
export async function screenshot(page, name) {
  await settle(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function settle(page, timeout = 30_000) {
  await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0, null, { timeout });
}

export async function go(page, hash) {
  await page.goto(`/${hash}`);
  await settle(page);
}

// ---------------------------------------------------------------- API

/** What a test file runs against: the platform with the demo (and ``env``'s settings) and a headless browser,
 * started together. */
export async function openPlatformAndBrowser({ env } = {}) {
  const [platform, browser] = await Promise.all([startPlatform({ env }), launchBrowser()]);
  return { platform, browser, client: api(platform.base) };
}

/** Stops what ``openPlatformAndBrowser`` started (either may be missing if starting failed). */
export async function closePlatformAndBrowser({ platform, browser }) {
  await browser?.close();
  await platform?.stop();
}

export function api(base) {
  async function call(method, path, body, token) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(`${base}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return data;
  }
  return {
    call,
    /** Sends a file through the API as the web client does (presigned POST), then waits for a status it settles in. */
    async sendFile(token, finess, type, period, filename, content) {
      const created = await call('POST', `/establishments/${finess}/uploads`, { type, period, filename, size: Buffer.byteLength(content) }, token);
      const form = new FormData();
      for (const [name, value] of Object.entries(created.post.fields)) form.append(name, value);
      form.append('file', new Blob([content], { type: 'text/csv' }), filename);
      const sent = await fetch(new URL(created.post.url, base), { method: 'POST', body: form });
      if (!sent.ok) throw new Error(`presigned POST: ${sent.status}`);
      return this.settled(token, finess, created.upload_id);
    },
    /** Polls an upload until it leaves PENDING and PROCESSING (a minute at most). */
    async settled(token, finess, uploadId) {
      for (let i = 0; i < 120; i++) {
        const upload = await call('GET', `/establishments/${finess}/uploads/${uploadId}`, undefined, token);
        if (!['PENDING', 'PROCESSING'].includes(upload.status)) return upload;
        await new Promise((done) => setTimeout(done, 500));
      }
      throw new Error(`upload ${uploadId} never finished`);
    },
    async login(email, password = DEMO_PASSWORD) {
      return (await call('POST', '/auth/login', { email, password })).id_token;
    },
    /** The last confirmation code e-mailed to `email` (local mailbox). */
    async confirmationCode(email) {
      const mails = await call('GET', '/local/mailbox');
      const mine = mails.filter((m) => m.to === email || (Array.isArray(m.to) && m.to.includes(email)));
      for (const m of mine.reverse()) {
        const found = /code de confirmation suivant\s*:\s*(\S+)/.exec(m.body) ?? /\b(\d{6})\b/.exec(m.body);
        if (found) return found[1].replace(/[.,;]$/, '');
      }
      throw new Error(`no confirmation code for ${email} in ${JSON.stringify(mails.map((m) => [m.to, m.subject]))}`);
    },
  };
}

/** Logs in through the login screen. */
export async function uiLogin(page, email, password = DEMO_PASSWORD) {
  await page.goto('/#/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/#\/espace/);
  await settle(page);
}

export function writeFiles(files) {
  const dir = mkdtempSync(join(tmpdir(), 'consores-e2e-files-'));
  const paths = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name], content, 'utf8');
  }
  return { dir, paths, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The figure as the client shows it ("462,8"): fr-FR, fixed decimals, spaces normalised. */
export function frenchNumber(value, digits) {
  return normalise(new Intl.NumberFormat('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value));
}

export const normalise = (text) => text.replace(/[\u202f\u00a0]/g, ' ').replace(/\s+/g, ' ').trim();
