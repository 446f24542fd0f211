import { registerConsentPurpose } from '../../support/hub-fixtures';
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
import { startPortalSimulator, type RunningPortalSimulator } from '../../../connectors/portal/simulator/portal-simulator.server';
import { createLogger } from '../../../platform/logger';

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
  let portal: RunningPortalSimulator;
  let browser: TestBrowser;

  beforeAll(async () => {
    hub = await startTestHub('consent_browser');
    await seedTestDemo(hub.services);
    // The national portal simulator's prefill demo plays the portal, over HTTP as a real one would.
    portal = await startPortalSimulator({
      port: 0,
      seed: TEST_SIMULATOR_SEED,
      populationSize: 100,
      logger: createLogger({ level: 'silent' }),
      hub: { url: hub.url, clientId: PORTAL_ID, clientSecret: DEMO_SECRET },
    });
    await hub.services.clients.ensure({
      clientId: PORTAL_ID,
      name: PORTAL_NAME,
      kind: 'PORTAL',
      secret: DEMO_SECRET,
      redirectUris: [portal.prefillDemo.redirectUri],
    });
    await registerConsentPurpose(hub.services, PORTAL_ID, `prefill:${BIRTH}`, [
      'population.fullName',
      'population.dateOfBirth',
      'population.currentResidence',
    ]);
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

    // The portal lists what it may prefill (the purposes the hub holds for it); its button starts the flow,
    // and the hub sends the browser to the national identity provider.
    await page.goto(`${portal.url}/prefill`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.locator('ul.procedures > li').count()).toBe(1);
    const procedure = page.locator(`li[id="procedure-${BIRTH}"]`);
    expect(await procedure.innerText()).toContain('population.currentResidence');
    await screenshot(page, TEST, '0-portal-procedures');
    await expectAccessible(page);
    await Promise.all([page.waitForSelector('input[name="password"]'), procedure.locator('a.button').click()]);
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
    await Promise.all([page.waitForURL(`${portal.url}/prefill/result`), page.keyboard.press('Enter')]);

    // The portal exchanged the code and called prefill: only the consented fields, each with its source and both times.
    await page.waitForSelector('#prefill');
    await screenshot(page, TEST, '4-portal-result');
    const result = portal.prefillDemo.last()!;
    expect(result.consent?.scope.sort()).toEqual(['population.currentResidence', 'population.fullName']);
    expect(result.prefillErrors).toBeUndefined();
    const fields = result.prefill!;
    const filled = fields.filter((f) => f.value !== null);
    expect(filled.map((f) => f.field).sort()).toEqual(['declarant.currentResidence', 'declarant.fullName']);
    expect(filled.find((f) => f.field === 'declarant.fullName')!.value).toBe(citizen.fullName);
    for (const f of filled) {
      expect(f.source).toBe('population');
      expect(Number.isNaN(Date.parse(f.sourceUpdatedAt!))).toBe(false);
      expect(Number.isNaN(Date.parse(f.retrievedAt!))).toBe(false);
    }
    expect(fields.find((f) => f.field === 'declarant.dateOfBirth')).toMatchObject({ value: null, reason: 'NOT_CONSENTED' });
    // The declaration form as the citizen sees it: filled fields with their source and times, the other one empty with why.
    expect(await page.inputValue('[data-field="declarant.fullName"] input')).toBe(citizen.fullName);
    expect(await page.locator('[data-field="declarant.fullName"] time').count()).toBe(2);
    expect(await page.innerText('[data-field="declarant.fullName"] .note')).toContain('Cơ sở dữ liệu quốc gia về dân cư');
    expect(await page.inputValue('[data-field="declarant.dateOfBirth"] input')).toBe('');
    expect(await page.innerText('[data-field="declarant.dateOfBirth"] .note')).toContain('NOT_CONSENTED');
    await expectAccessible(page);

    // My data: the consent and the portal's read.
    await page.goto(`${hub.url}/my-data`);
    const consentId = result.consent!.consentId;
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

    // Prefill again with the consent token the portal kept: refused, and the portal says why.
    await page.goto(`${portal.url}/prefill`);
    await Promise.all([page.waitForURL(`${portal.url}/prefill/result`), page.click('#again')]);
    await screenshot(page, TEST, '7-portal-after-revoke');
    expect(portal.prefillDemo.last()?.prefillErrors?.map((e) => e.code)).toEqual(['CONSENT_REQUIRED']);
    expect(await page.innerText('[data-code="CONSENT_REQUIRED"]')).toContain('rút lại');

    // The same page in English, from its language link.
    await page.goto(`${hub.url}/my-data`);
    await Promise.all([page.waitForURL(/lang=en/), page.click('a[hreflang="en"]')]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.innerText('h1')).toBe('My data');
    await screenshot(page, TEST, '8-my-data-english');

    // A portal that is not registered: an error page, never a redirect.
    const refused = await page.goto(
      `${hub.url}/consent/authorize?response_type=code&client_id=nobody&redirect_uri=${encodeURIComponent(portal.prefillDemo.redirectUri)}&state=s&lang=vi`,
    );
    expect(refused?.status()).toBe(400);
    expect(page.url().startsWith(hub.url)).toBe(true);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await screenshot(page, TEST, '9-error');
    await withinBudget('error');
    await expectAccessible(page);
  });
});
