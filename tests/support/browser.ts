import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../../platform/paths';

/** The system's Chromium (`.ci/run` installs it when missing); playwright-core downloads nothing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, without a sandbox (containers run as root), and without Chromium's own calls home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * A fresh Chromium (its own empty profile) with one page; the Vietnamese locale and Vietnam's time
 * zone. `mapAddresses` sends one `host:port` to another (e.g. a hub's PUBLIC_URL to the free port
 * its test instance listens on), as a proxy in front of the service would: every request, redirects
 * included, goes there, while the page still sees the public address.
 */
export async function launchBrowser(options: { mapAddresses?: Record<string, string> } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'hub-chromium-'));
  const rules = Object.entries(options.mapAddresses ?? {}).map(([from, to]) => `MAP ${from} ${to}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(rules.length > 0 ? [`--host-resolver-rules=${rules.join(',')}`] : [])],
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    viewport: { width: 1024, height: 768 },
  });
  // Every Content-Security-Policy violation of every page, for cspViolations().
  await context.addInitScript(`window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(e.effectiveDirective + ' ' + (e.blockedURI || 'inline')));`);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const SCREENSHOTS = path.join(projectRoot(), 'test-results', 'screenshots');
const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** Saves the whole page as `test-results/screenshots/<test>-<step>.png` and returns the path. */
export async function screenshot(page: Page, test: string, step: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${slug(test)}-${slug(step)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core on the page and returns its violations, failing the test on any serious or critical
 * one (the others are returned for the caller to look at). axe's source is evaluated through the
 * DevTools protocol rather than added as an inline script tag: the hub's pages refuse inline scripts
 * (their Content-Security-Policy), and the test must not weaken that to look at them.
 */
export async function expectAccessible(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(path.join(projectRoot(), 'node_modules/axe-core/axe.min.js'), 'utf8');
  // Strings, not functions: this project is compiled without the DOM's types.
  if (!(await page.evaluate<boolean>(`'axe' in window`))) await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeViolation[]>(`axe.run(document).then((result) =>
    result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    })))`);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  return violations;
}

/** Presses Tab until the focused element matches `selector` (at most `limit` presses); returns how many it took. */
export async function tabTo(page: Page, selector: string, limit = 40): Promise<number> {
  for (let presses = 1; presses <= limit; presses += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return presses;
  }
  throw new Error(`${selector} not reached with ${limit} presses of Tab`);
}

/** The focused element shows a focus indicator (an outline or a box shadow). */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(`(() => {
    const element = document.activeElement;
    if (!element) return false;
    const style = getComputedStyle(element);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  })()`);
}

export interface PageWeight {
  /** The document's body as sent (bytes). */
  html: number;
  /** Stylesheets, scripts, images and fonts the page loaded (bytes of their bodies, cached or not). */
  resources: number;
  scripts: number;
  /** Each resource's path and size. */
  loaded: { path: string; bytes: number }[];
}

/** What the current page weighs, from the browser's resource timing. */
export async function pageWeight(page: Page): Promise<PageWeight> {
  return page.evaluate<PageWeight>(`(() => {
    const [navigation] = performance.getEntriesByType('navigation');
    const resources = performance.getEntriesByType('resource');
    return {
      html: navigation.encodedBodySize,
      resources: resources.reduce((sum, r) => sum + r.encodedBodySize, 0),
      scripts: resources.filter((r) => r.initiatorType === 'script').length + document.scripts.length,
      loaded: resources.map((r) => ({ path: new URL(r.name).pathname, bytes: r.encodedBodySize })),
    };
  })()`);
}

/** Appends a page's weight to `test-results/page-weights.json` (a record for the page-weight budget). */
export function recordPageWeight(name: string, weight: PageWeight): void {
  const file = path.join(projectRoot(), 'test-results', 'page-weights.json');
  mkdirSync(path.dirname(file), { recursive: true });
  let all: Record<string, PageWeight> = {};
  try {
    all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, PageWeight>;
  } catch {
    // First record of the run.
  }
  all[name] = weight;
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}

/** The Content-Security-Policy violations of the current page so far (directive and what was blocked). */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`window.__cspViolations ?? []`);
}
