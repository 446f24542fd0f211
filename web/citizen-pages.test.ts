import { createHash } from 'node:crypto';
import { citizenPages } from './citizen-pages';
import { durationInWords, formatDateTime, maskedId } from './format';
import { en } from './i18n/en';
import { vi } from './i18n/vi';
import { ATTRIBUTES, sampleConsentView, sampleMyDataView } from './pages/sample-views';
import { hubStylesheet } from './styles/stylesheet';

const HOSTILE = `<script>alert("x")</script>`;
const errorView = {
  lang: 'vi' as const,
  status: 400,
  title: { vi: 'Không thể tiếp tục', en: 'Cannot continue' },
  message: { vi: 'Địa chỉ quay về không được đăng ký.', en: 'The redirect URI is not registered.' },
  reason: 'CONSENT.UNKNOWN_REDIRECT_URI',
};

/** The attributes of every tag named `tag` in a page. */
function tags(html: string, tag: string): Record<string, string>[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((match) =>
    Object.fromEntries([...match[1]!.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, a[2] ?? ''])),
  );
}

describe('citizen pages', () => {
  it('hostile input: a client name, attribute label, purpose or csrf with markup renders as text', () => {
    const html = citizenPages.consentPage(
      sampleConsentView({
        client: { clientId: HOSTILE, name: HOSTILE },
        procedure: { code: HOSTILE, name: HOSTILE },
        purpose: { code: 'p', description: { vi: HOSTILE, en: HOSTILE } },
        attributes: [{ scope: `x" onclick="alert(1)`, label: { vi: HOSTILE, en: HOSTILE }, source: HOSTILE }],
        csrf: `"><script>alert(1)</script>`,
        citizen: { name: HOSTILE, maskedPersonalId: HOSTILE, acr: HOSTILE },
        problem: { vi: HOSTILE, en: HOSTILE },
      }),
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('onclick="');
    expect(html).toContain('&lt;script>');
  });

  it('hostile input on my data and the error page renders as text', () => {
    const base = sampleMyDataView({}, 1);
    const pages = [
      citizenPages.myDataPage({
        ...base,
        consents: base.consents.map((c) => ({
          ...c,
          client: { clientId: HOSTILE, name: HOSTILE },
          purpose: { code: HOSTILE, description: { vi: HOSTILE, en: HOSTILE } },
        })),
        reads: base.reads.map((r) => ({ ...r, who: { id: HOSTILE, name: HOSTILE }, why: { kind: 'legal-basis', basis: HOSTILE } })),
        notice: { vi: HOSTILE, en: HOSTILE },
        nextReadsHref: `"><script>x</script>`,
      }),
      citizenPages.errorPage({ ...errorView, title: { vi: HOSTILE, en: HOSTILE }, message: { vi: HOSTILE, en: HOSTILE }, reason: HOSTILE }),
    ];
    for (const html of pages) {
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('&lt;script>');
    }
  });

  it('Vietnamese by default, English on lang en, with a link to the other language on every page', () => {
    const pages = (lang: 'vi' | 'en') => [
      citizenPages.consentPage(sampleConsentView({ lang })),
      citizenPages.myDataPage(sampleMyDataView({ lang })),
      citizenPages.errorPage({ ...errorView, lang }),
    ];
    for (const html of pages('vi')) {
      expect(html).toMatch(/^<!doctype html><html lang="vi">/);
      expect(html).toContain('href="?lang=en"');
      expect(html).toContain(vi.skipToContent);
    }
    for (const html of pages('en')) {
      expect(html).toMatch(/^<!doctype html><html lang="en">/);
      expect(html).toContain('href="?lang=vi"');
      expect(html).toContain(en.skipToContent);
    }
    expect(pages('vi')[0]).toContain('Đồng ý chia sẻ');
    expect(pages('vi')[0]).toContain('Điền sẵn tờ khai đăng ký khai sinh');
    expect(pages('en')[0]).toContain('Approve sharing');
    expect(pages('en')[0]).toContain('Fill in the birth registration form');
    expect(pages('en')[0]).toContain('Full name');
    expect(pages('en')[2]).toContain('The redirect URI is not registered.');
  });

  it('the consent form has the contract’s fields: csrf, one ticked attributes checkbox per scope with a label, approve and decline', () => {
    const html = citizenPages.consentPage(sampleConsentView());
    const [form] = tags(html, 'form');
    expect(form).toMatchObject({ method: 'post', action: '/consent/review/req-1' });
    const inputs = tags(html, 'input');
    expect(inputs.filter((i) => i.type === 'hidden')).toEqual([{ type: 'hidden', name: 'csrf', value: 'csrf-token-1' }]);
    const boxes = inputs.filter((i) => i.type === 'checkbox');
    expect(boxes.map((b) => b.value)).toEqual(ATTRIBUTES.map((a) => a.scope));
    for (const box of boxes) {
      expect(box).toMatchObject({ name: 'attributes', checked: '' });
      expect(html).toContain(`<label for="${box.id}">`);
    }
    expect(tags(html, 'button').map((b) => [b.type, b.name, b.value])).toEqual([
      ['submit', 'decision', 'approve'],
      ['submit', 'decision', 'decline'],
    ]);
    expect(html).toMatch(/<fieldset[^>]*><legend>/);
    expect(html).toContain('Nguồn: Cơ sở dữ liệu quốc gia về dân cư');
    expect(html).toContain('Nguồn: Cơ sở dữ liệu đất đai');
  });

  it('the consent page says until when, how long the data may be kept (in words), and shows a problem', () => {
    const html = citizenPages.consentPage(
      sampleConsentView({ dataLifeSeconds: 30 * 86_400, problem: { vi: 'Chưa chọn gì', en: 'Nothing' } }),
    );
    expect(html).toContain('<time datetime="2026-12-31T17:30:00+07:00">31/12/2026 17:30</time>');
    expect(html).toContain('30 ngày');
    expect(html).toMatch(/role="alert"[^>]*>.*Chưa chọn gì/);
  });

  it('my data: consents with revoke forms while in force, the reads table, older reads, sign-out', () => {
    const html = citizenPages.myDataPage(sampleMyDataView({ notice: { vi: 'Đã rút lại sự đồng ý.', en: 'Withdrawn.' } }));
    const forms = tags(html, 'form');
    expect(forms).toEqual([
      { method: 'post', action: '/auth/sign-out', class: 'sign-out' },
      { method: 'post', action: '/my-data/consents/c-1/revoke' },
    ]);
    expect(tags(html, 'input').filter((i) => i.name === 'csrf')).toHaveLength(2);
    expect(tags(html, 'input').every((i) => i.value === 'csrf-token-2')).toBe(true);
    expect(html).toContain('Đang hiệu lực');
    expect(html).toContain('Đã rút lại');
    expect(html).toContain('30 ngày');
    expect(html.match(/<tr>/g)).toHaveLength(51);
    expect(html).toContain('<th scope="col">Thời điểm</th>');
    expect(html).toContain('href="#consent-c-1"');
    expect(html).toContain('Căn cứ pháp lý: Luật Cư trú 2020, Điều 37');
    expect(html).toContain('<a href="/my-data?before=abc" rel="next">');
    expect(html).toMatch(/role="status"[^>]*><p>Đã rút lại sự đồng ý\./);
    expect(citizenPages.myDataPage(sampleMyDataView({ nextReadsHref: undefined }, 0))).toContain(vi.myData.noReads);
  });

  it('the masked id never shows the whole id, even if a whole id reached the view', () => {
    const whole = '001099012345';
    const citizen = { name: 'A', maskedPersonalId: whole, acr: 'urn:vneid:loa:2' };
    for (const html of [citizenPages.consentPage(sampleConsentView({ citizen })), citizenPages.myDataPage(sampleMyDataView({ citizen }))]) {
      expect(html).not.toContain(whole);
      expect(html).toContain('0010•••••345');
    }
    expect(maskedId('0010•••••123')).toBe('0010•••••123');
  });

  it('no page carries a script or anything from another origin; each links the hashed stylesheet', () => {
    const pages = [
      citizenPages.consentPage(sampleConsentView()),
      citizenPages.myDataPage(sampleMyDataView()),
      citizenPages.errorPage(errorView),
    ];
    for (const html of pages) {
      expect(html).not.toMatch(/<script|style=|https?:\/\//i);
      expect(html).toContain(`<link rel="stylesheet" href="${hubStylesheet.href}"/>`);
    }
    expect(hubStylesheet.href).toBe(`/assets/hub.${createHash('sha256').update(hubStylesheet.css).digest('hex').slice(0, 16)}.css`);
  });

  it('page weight: each page’s HTML and CSS stay within 30 KB (docs/ARCHITECTURE.md), even with 11 attributes or 50 reads', () => {
    const css = Buffer.byteLength(hubStylesheet.css);
    for (const html of [
      citizenPages.consentPage(sampleConsentView()),
      citizenPages.myDataPage(sampleMyDataView()),
      citizenPages.errorPage(errorView),
    ]) {
      expect(Buffer.byteLength(html) + css).toBeLessThanOrEqual(30 * 1024);
    }
  });
});

describe('formats', () => {
  it('dates as dd/MM/yyyy HH:mm in Vietnam time', () => {
    expect(formatDateTime(new Date('2026-01-31T17:05:00Z'))).toBe('01/02/2026 00:05');
  });

  it('durations in words', () => {
    expect(durationInWords(30 * 86_400, vi)).toBe('30 ngày');
    expect(durationInWords(86_400, vi)).toBe('1 ngày');
    expect(durationInWords(5_400, vi)).toBe('1 giờ 30 phút');
    expect(durationInWords(365 * 86_400, vi)).toBe('1 năm');
    expect(durationInWords(30 * 86_400, en)).toBe('30 days');
    expect(durationInWords(86_400 + 3_600, en)).toBe('1 day 1 hour');
    expect(durationInWords(0, en)).toBe('0 seconds');
  });
});
