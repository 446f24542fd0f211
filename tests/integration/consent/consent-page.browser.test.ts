import { generateCitizen } from '../../../connectors/population/simulator/citizen-generator';
import { TEST_IDENTITY_PASSWORD } from '../../support/identity-sign-in';
import {
  cspViolations,
  expectAccessible,
  focusIsVisible,
  launchBrowser,
  pageWeight,
  recordPageWeight,
  screenshot,
  tabTo,
  type TestBrowser,
} from '../../support/browser';
import { TEST_SIMULATOR_SEED } from '../../support/environment';
import { DEMO_SECRET, seedTestDemo, startTestHub, type TestHub } from '../../support/test-hub';
import { startTestPortal, type TestPortal } from '../../support/test-portal';

const TEST = 'consent-page';
const BIRTH = '1.001193';
const PORTAL_ID = 'browser-test-portal';
const PORTAL_NAME = 'Cổng dịch vụ công thử nghiệm';
/** The hubs' default PUBLIC_URL: the identity simulator sends the browser back to its /auth/callback. */
const PUBLIC_URL = 'http://127.0.0.1:4000';
// Index 1 of the population: a level-2 account (connectors/identity/README.md).
const citizen = generateCitizen(TEST_SIMULATOR_SEED, 1);
/** The page-weight budget of docs/ARCHITECTURE.md ("Web pages"): HTML and CSS of a page, no script. */
const PAGE_BUDGET_BYTES = 30 * 1024;

describe('the consent page in a real browser', () => {
  let hub: TestHub;
  let portal: TestPortal;
  let browser: TestBrowser;

  beforeAll(async () => {
    hub = await startTestHub('consent_browser');
    await seedTestDemo(hub.services);
    portal = await startTestPortal({
      hubUrl: hub.url,
      clientId: PORTAL_ID,
      clientSecret: DEMO_SECRET,
      request: {
        scope: ['population.fullName', 'population.dateOfBirth', 'population.currentResidence'],
        procedure: BIRTH,
        purpose: `prefill:${BIRTH}`,
      },
    });
    await hub.services.clients.ensure({
      clientId: PORTAL_ID,
      name: PORTAL_NAME,
      kind: 'PORTAL',
      secret: DEMO_SECRET,
      redirectUris: [portal.redirectUri],
    });
    await hub.services.consents.registerPurpose(PORTAL_ID, {
      purpose: `prefill:${BIRTH}`,
      attributes: ['population.fullName', 'population.dateOfBirth', 'population.currentResidence'],
    });
    // The test hub listens on a free port, not on its PUBLIC_URL (where the identity provider sends the browser back).
    browser = await launchBrowser({ mapAddresses: { [new URL(PUBLIC_URL).host]: new URL(hub.url).host } });
  });

  /** Checks the current page against the budget and keeps its weight in test-results/page-weights.json. */
  async function withinBudget(name: string) {
    const weight = await pageWeight(browser.page);
    recordPageWeight(name, weight);
    // The page lives within its own Content-Security-Policy (nothing inline, nothing from elsewhere).
    expect(await cspViolations(browser.page)).toEqual([]);
    expect(weight.scripts).toBe(0);
    expect(weight.resources).toBeGreaterThan(0);
    expect(weight.html + weight.resources).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
  }

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    await hub?.dispose();
  });

  it('a citizen signs in, unticks one attribute with the keyboard, approves; the portal reads only what was consented; revoking stops it', async () => {
    const { page } = browser;

    // The portal starts the flow; the hub sends the browser to the national identity provider.
    await page.goto(portal.startUrl);
    await page.waitForSelector('input[name="password"]');
    await screenshot(page, TEST, '1-login');
    await page.fill('input[name="personalId"]:not([type="radio"])', citizen.personalId);
    await page.fill('input[name="password"]', TEST_IDENTITY_PASSWORD);
    await Promise.all([page.waitForURL(/\/consent\/review\//), page.click('button[type="submit"]')]);

    // The consent page: who asks, what, until when; the signed-in citizen with a masked id.
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    const text = await page.innerText('main');
    expect(text).toContain(PORTAL_NAME);
    expect(text).toContain(BIRTH);
    expect(text).toContain(`${citizen.personalId.slice(0, 4)}•••••${citizen.personalId.slice(-3)}`);
    expect(await page.content()).not.toContain(citizen.personalId);
    expect(text).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(
      await page.$$eval('input[name="attributes"]', (boxes) =>
        boxes.map((b) => [b.getAttribute('value'), (b as { checked?: boolean }).checked]),
      ),
    ).toEqual([
      ['population.fullName', true],
      ['population.dateOfBirth', true],
      ['population.currentResidence', true],
    ]);
    // The stylesheet is served by the hub and applied (the skip link is moved off screen by it).
    expect(await page.evaluate<boolean>(`getComputedStyle(document.querySelector('.skip-link')).position === 'absolute'`)).toBe(true);
    await screenshot(page, TEST, '2-consent');
    await withinBudget('consent');
    await expectAccessible(page);

    // The page's CSP is in force: an injected inline script is refused (and the recorder sees it).
    await page.addScriptTag({ content: 'window.injected = true' }).catch(() => undefined);
    expect(await page.evaluate<boolean>(`'injected' in window`)).toBe(false);
    expect(await cspViolations(page)).toEqual(['script-src-elem inline']);

    // Printed: the facts and the choices, without the buttons or the language link.
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('.actions')).toBe(false);
    expect(await page.isVisible('.language')).toBe(false);
    expect(await page.isVisible('fieldset')).toBe(true);
    await screenshot(page, TEST, '2-consent-print');
    await page.emulateMedia({ media: 'screen' });

    // Keyboard only: the skip link first, then untick the date of birth with Space, approve with Enter.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>(`document.activeElement.className`)).toBe('skip-link');
    expect(await focusIsVisible(page)).toBe(true);
    await tabTo(page, 'input[value="population.dateOfBirth"]');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Space');
    expect(await page.isChecked('input[value="population.dateOfBirth"]')).toBe(false);
    await tabTo(page, 'button[value="approve"]');
    expect(await focusIsVisible(page)).toBe(true);
    await screenshot(page, TEST, '3-consent-unticked');
    await Promise.all([page.waitForURL(`${portal.redirectUri}?**`), page.keyboard.press('Enter')]);

    // The portal exchanged the code and called prefill: only the consented fields, each with its source and both times.
    await page.waitForSelector('#prefill');
    await screenshot(page, TEST, '4-portal-result');
    expect(portal.last.token?.scope.split(' ').sort()).toEqual(['population.currentResidence', 'population.fullName']);
    expect(portal.last.prefillErrors).toBeUndefined();
    const fields = portal.last.prefill!;
    const filled = fields.filter((f) => f.value !== null);
    expect(filled.map((f) => f.field).sort()).toEqual(['declarant.currentResidence', 'declarant.fullName']);
    expect(filled.find((f) => f.field === 'declarant.fullName')!.value).toBe(citizen.fullName);
    for (const f of filled) {
      expect(f.source).toBe('population');
      expect(Number.isNaN(Date.parse(f.sourceUpdatedAt!))).toBe(false);
      expect(Number.isNaN(Date.parse(f.retrievedAt!))).toBe(false);
    }
    expect(fields.find((f) => f.field === 'declarant.dateOfBirth')).toMatchObject({ value: null, reason: 'NOT_CONSENTED' });

    // My data: the consent and the portal's read.
    await page.goto(`${hub.url}/my-data`);
    const consentId = portal.last.token!.consent_id;
    const consent = page.locator(`#consent-${consentId}`);
    expect(await consent.innerText()).toContain(PORTAL_NAME);
    expect(await consent.innerText()).toContain('Đang hiệu lực');
    const reads = await page.innerText('table');
    expect(reads).toContain(PORTAL_NAME);
    expect(reads).toContain('prefill');
    expect(await page.locator(`table a[href="#consent-${consentId}"]`).count()).toBeGreaterThan(0);
    expect(await page.content()).not.toContain(citizen.personalId);
    await screenshot(page, TEST, '5-my-data');
    await withinBudget('my-data');
    await expectAccessible(page);

    // Revoking there: the next prefill is refused.
    await Promise.all([page.waitForURL(/\/my-data\?notice=revoked/), consent.locator('button[type="submit"]').click()]);
    expect(await page.innerText('[role="status"]')).toContain('Đã rút lại sự đồng ý');
    expect(await consent.innerText()).toContain('Đã rút lại');
    expect(await consent.locator('form').count()).toBe(0);
    await screenshot(page, TEST, '6-my-data-revoked');
    await withinBudget('my-data-revoked');
    await expectAccessible(page);

    await page.goto(portal.againUrl);
    await screenshot(page, TEST, '7-portal-after-revoke');
    expect(portal.last.prefillErrors?.map((e) => e.extensions?.code)).toEqual(['CONSENT_REQUIRED']);

    // The same page in English, from its language link.
    await page.goto(`${hub.url}/my-data`);
    await Promise.all([page.waitForURL(/lang=en/), page.click('a[hreflang="en"]')]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.innerText('h1')).toBe('My data');
    await screenshot(page, TEST, '8-my-data-english');

    // A portal that is not registered: an error page, never a redirect.
    const refused = await page.goto(
      `${hub.url}/consent/authorize?response_type=code&client_id=nobody&redirect_uri=${encodeURIComponent(portal.redirectUri)}&state=s&lang=vi`,
    );
    expect(refused?.status()).toBe(400);
    expect(page.url().startsWith(hub.url)).toBe(true);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await screenshot(page, TEST, '9-error');
    await withinBudget('error');
    await expectAccessible(page);
  });
});
