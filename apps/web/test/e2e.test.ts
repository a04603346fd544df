import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav, harmonicTone } from './signals.js';

// End to end: build the page, serve it on localhost, drive Chromium headless, upload WAVs.
// Debian's Chromium (apt-get install -y chromium); TIMBRE_CHROMIUM points elsewhere.
const CHROMIUM = process.env.TIMBRE_CHROMIUM ?? '/usr/bin/chromium';
const APP = fileURLToPath(new URL('..', import.meta.url));
const LABELS = (
  JSON.parse(readFileSync(join(APP, '../cli/pretrained/metadata.json'), 'utf8')) as { labels: string[] }
).labels;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/** A static file server for `root` on 127.0.0.1 (any free port). */
async function serve(root: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI) {
  // In CI a missing browser is a failure, never a silent skip.
  it('has Chromium for the end-to-end test', () => {
    throw new Error(`${CHROMIUM} is missing: .ci/run must install Chromium (apt-get install -y chromium)`);
  });
} else if (missing) {
  console.warn(`e2e skipped: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);
}

describe.skipIf(missing)('web page in headless Chromium', () => {
  let outDir = '';
  let userDataDir = '';
  let server: Server | undefined;
  let origin = '';
  let context: BrowserContext | undefined;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    // Build the current sources into a scratch folder (never races with dist/).
    outDir = mkdtempSync(join(tmpdir(), 'timbre-web-dist-'));
    execFileSync(process.execPath, [join(APP, 'scripts/copy-model.mjs')], { stdio: 'ignore' });
    await build({ root: APP, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    ({ server, origin } = await serve(outDir));
    userDataDir = mkdtempSync(join(tmpdir(), 'timbre-web-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // A fake microphone (a beep) for the record button.
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await context.grantPermissions(['microphone'], { origin });
    await page.goto(`${origin}/`);
    await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
    const ready = await page.getAttribute('body', 'data-ready');
    if (ready !== 'true') throw new Error(`model did not load: ${await page.textContent('#error')}`);
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    for (const dir of [outDir, userDataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function upload(name: string, bytes: Uint8Array, mimeType: string): Promise<string> {
    await page.evaluate(() => delete document.body.dataset.result);
    await page.setInputFiles('#file', { name, mimeType, buffer: Buffer.from(bytes) });
    await page.waitForSelector('body[data-result]', { timeout: 60_000 });
    return (await page.getAttribute('body', 'data-result')) ?? '';
  }

  it('classifies a generated 3-s WAV: 3 model labels, probabilities summing to ≤ 1, a 5-window timeline', async () => {
    const tone = harmonicTone({ sampleRate: 44100, durationS: 3, f0: 196, onsetS: 0.3, harmonics: 10 });
    expect(await upload('tone.wav', encodeWav(tone, 44100), 'audio/wav')).toBe('done');
    const top = await page.$$eval('#top li', (items) =>
      items.map((li) => ({ label: li.dataset.label ?? '', p: Number(li.dataset.probability) })),
    );
    expect(top).toHaveLength(3);
    for (const { label, p } of top) {
      expect(LABELS).toContain(label);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect(new Set(top.map((t) => t.label)).size).toBe(3);
    expect(top[0]!.p).toBeGreaterThanOrEqual(top[1]!.p);
    expect(top[1]!.p).toBeGreaterThanOrEqual(top[2]!.p);
    expect(top.reduce((s, t) => s + t.p, 0)).toBeLessThanOrEqual(1 + 1e-6);
    expect(await page.$$eval('#timeline tr', (rows) => rows.length)).toBe(5);
    expect(await page.isVisible('#results')).toBe(true);
    const facts = Object.fromEntries(
      await page.$$eval('#facts dt', (dts) =>
        dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]),
      ),
    ) as Record<string, string>;
    expect(['wasm-simd', 'wasm', 'js']).toContain(facts['DSP implementation']);
    expect(facts['TensorFlow.js backend']).toMatch(/^(webgl|cpu)\b/);
    console.info(`e2e: top ${JSON.stringify(top)}; ${JSON.stringify(facts)}`);
  });

  it('shows an error, not a blank page, for a file that is not audio', async () => {
    const garbage = randomBytes(4096);
    expect(await upload('garbage.wav', garbage, 'audio/wav')).toBe('error');
    const error = await page.textContent('#error');
    expect(error).toMatch(/Could not read “garbage\.wav”/);
    expect(await page.isVisible('#error')).toBe(true);
    expect(await page.isVisible('#results')).toBe(false);
    expect(await page.isEnabled('#file')).toBe(true);
  });

  it('records 3 s from the (fake) microphone and classifies the compressed recording', async () => {
    await page.evaluate(() => delete document.body.dataset.result);
    await page.click('#record');
    await page.waitForSelector('body[data-result]', { timeout: 30_000 });
    expect(await page.textContent('#error')).toBe('');
    expect(await page.getAttribute('body', 'data-result')).toBe('done');
    expect(await page.textContent('#source')).toMatch(/^microphone recording: \d/);
    expect(await page.$$eval('#top li', (items) => items.length)).toBe(3);
  });

  it('made no request outside its own origin and logged no errors', () => {
    const outside = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'));
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  });
});
