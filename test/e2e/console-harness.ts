import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { startTestHub, TEST_TOKEN } from '../helpers/local-hub.js';

/**
 * What the console's browser suites share (console-analytics, console-calcs): a fresh build of the
 * console served by a local hub, headless Chromium (Debian's, or CHROMIUM_PATH) logged in with the
 * test token, and screenshots into docs/console (or CONSOLE_SCREENSHOTS_DIR).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = process.env.CONSOLE_SCREENSHOTS_DIR ?? join(ROOT, 'docs', 'console');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
];

/** A 1×1 light grey PNG served for every map tile. */
const TILE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN48uoGAAVcAqcuZ9Z0AAAAAElFTkSuQmCC', 'base64');

declare const document: { readonly activeElement: { blur?(): void } | null };

export interface ConsoleHarness {
  readonly hub: Awaited<ReturnType<typeof startTestHub>>;
  readonly page: Page;
  readonly pageErrors: string[];
  /** `#/...` in the console. */
  go(hash: string): Promise<void>;
  shot(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the console from the current sources into a temporary directory. */
export async function buildConsole(): Promise<string> {
  const { build } = await import('vite');
  const out = mkdtempSync(join(tmpdir(), 'console-dist-'));
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production'; // vitest sets "test", which would make a development bundle
  try {
    await build({ configFile: join(ROOT, 'console', 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = env;
  }
  return out;
}

export async function startConsole(): Promise<ConsoleHarness> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  mkdirSync(SHOTS, { recursive: true });
  const consoleDir = await buildConsole();
  const hub = await startTestHub({ consoleDir });
  const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 860 },
    timezoneId: 'UTC',
    locale: 'en-GB',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.setDefaultTimeout(15_000);
  // the machine cannot reach OpenStreetMap: every tile is a light grey pixel
  await page.route('https://tile.openstreetmap.org/**', (r) => r.fulfill({ status: 200, contentType: 'image/png', body: TILE_PNG }));
  await page.goto(`${hub.apiUrl}/`);
  await page.getByLabel('Access token').fill(TEST_TOKEN);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Devices' }).waitFor();
  return {
    hub,
    page,
    pageErrors,
    go: async (hash) => {
      await page.goto(`${hub.apiUrl}/${hash}`);
    },
    shot: async (name) => {
      await page.evaluate(() => document.activeElement?.blur?.());
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    stop: async () => {
      await context.close();
      await hub.stop();
      rmSync(profile, { recursive: true, force: true });
      rmSync(consoleDir, { recursive: true, force: true });
    },
  };
}
