import { InvalidInputError } from '../domain/errors';
import type { RegisteredConsentPurpose } from '../store/services/consent-purposes.service';
import {
  CONSENT_PURPOSES_USAGE,
  parseConsentPurposesArgs,
  runConsentPurposesCommand,
  type ConsentPurposesContext,
} from './consent-purposes-command';

function usageError(argv: string[]): string {
  try {
    parseConsentPurposesArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).reason).toBe('CONSENT_PURPOSES_COMMAND.USAGE');
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

const stored: RegisteredConsentPurpose = {
  clientId: 'demo-portal',
  purpose: 'prefill:1.001193',
  procedureCode: '1.001193',
  attributes: ['population.fullName', 'population.dateOfBirth'],
  descriptionVi: 'Điền sẵn tờ khai thủ tục đăng ký khai sinh',
  descriptionEn: 'Prefill the declaration of procedure 1.001193 (Đăng ký khai sinh)',
  createdAt: new Date('2026-12-04T01:00:00Z'),
  updatedAt: new Date('2026-12-04T02:00:00Z'),
};

function fakeContext(purposes: Partial<ConsentPurposesContext['purposes']>) {
  const lines: string[] = [];
  const ctx: ConsentPurposesContext = { purposes: purposes as ConsentPurposesContext['purposes'], print: (line) => lines.push(line) };
  return { ctx, lines };
}

describe('consent-purposes command: arguments', () => {
  it('reads register with its attributes (comma-separated, repeatable) and both descriptions', () => {
    expect(
      parseConsentPurposesArgs([
        'register',
        'demo-portal',
        'eligibility-check',
        '--attributes',
        'population.fullName, population.dateOfBirth',
        '--attributes=land.parcels',
        '--description-vi',
        'Kiểm tra điều kiện hưởng chính sách',
        '--description-en=Eligibility check',
      ]),
    ).toEqual({
      action: 'register',
      clientId: 'demo-portal',
      registration: {
        purpose: 'eligibility-check',
        attributes: ['population.fullName', 'population.dateOfBirth', 'land.parcels'],
        descriptionVi: 'Kiểm tra điều kiện hưởng chính sách',
        descriptionEn: 'Eligibility check',
      },
    });
  });

  it('register names every option missing at once', () => {
    const message = usageError(['register', 'demo-portal', 'eligibility-check']);
    expect(message).toContain('--attributes, --description-vi, --description-en');
    expect(message).toContain('Usage: npm run hub -- consent-purposes register');
  });

  it('register needs the client and the purpose, and nothing more', () => {
    const options = ['--attributes', 'population.fullName', '--description-vi', 'x', '--description-en', 'y'];
    expect(usageError(['register', 'demo-portal', ...options])).toContain('CLIENT PURPOSE');
    expect(usageError(['register', 'demo-portal', 'a', 'b', ...options])).toContain('nothing more');
  });

  it('reads register-prefill with no procedure (all of them) or some, repeated or comma-separated', () => {
    expect(parseConsentPurposesArgs(['register-prefill', 'demo-portal'])).toEqual({
      action: 'register-prefill',
      clientId: 'demo-portal',
      procedureCodes: [],
      json: false,
    });
    expect(
      parseConsentPurposesArgs([
        'register-prefill',
        'demo-portal',
        '--procedure',
        '1.001193',
        '--procedure',
        '1.004222,1.004873',
        '--json',
      ]),
    ).toEqual({ action: 'register-prefill', clientId: 'demo-portal', procedureCodes: ['1.001193', '1.004222', '1.004873'], json: true });
  });

  it('reads list with or without a client, --json', () => {
    expect(parseConsentPurposesArgs(['list'])).toEqual({ action: 'list', clientId: undefined, json: false });
    expect(parseConsentPurposesArgs(['list', 'demo-portal', '--json'])).toEqual({ action: 'list', clientId: 'demo-portal', json: true });
    expect(usageError(['list', 'a', 'b'])).toContain('at most one CLIENT');
  });

  it('reads remove', () => {
    expect(parseConsentPurposesArgs(['remove', 'demo-portal', 'prefill:1.001193'])).toEqual({
      action: 'remove',
      clientId: 'demo-portal',
      purpose: 'prefill:1.001193',
    });
    expect(usageError(['remove', 'demo-portal'])).toContain('CLIENT PURPOSE');
  });

  it('refuses an option of another command instead of ignoring it', () => {
    expect(usageError(['remove', 'demo-portal', 'eligibility-check', '--attributes', 'population.fullName'])).toContain('--attributes');
    expect(usageError(['list', '--procedure', '1.001193'])).toContain('--procedure');
  });

  it('refuses an unknown option and an unknown command', () => {
    expect(usageError(['list', '--colour'])).toContain("Unknown option '--colour'");
    expect(usageError(['purge'])).toContain('unknown command "purge"');
  });

  it('gives the group help without a command, and each command’s own with --help (whatever else is there)', () => {
    expect(parseConsentPurposesArgs([])).toEqual({ action: 'help', text: CONSENT_PURPOSES_USAGE });
    expect(parseConsentPurposesArgs(['--help'])).toEqual({ action: 'help', text: CONSENT_PURPOSES_USAGE });
    for (const command of ['register', 'register-prefill', 'list', 'remove']) {
      const parsed = parseConsentPurposesArgs([command, '--help']);
      expect(parsed.action).toBe('help');
      expect(parsed.action === 'help' && parsed.text).toContain(`consent-purposes ${command} `);
    }
    const remove = parseConsentPurposesArgs(['remove', '-h']);
    // The decision on consents already given is stated where the operator reads it.
    expect(remove.action === 'help' && remove.text).toContain('keep\nworking until they expire or are revoked');
  });
});

describe('consent-purposes command: output', () => {
  it('says what a registration did, Vietnamese first', async () => {
    const { ctx, lines } = fakeContext({ register: async () => ({ purpose: stored, outcome: 'CREATED' as const }) });
    await runConsentPurposesCommand(
      {
        action: 'register',
        clientId: 'demo-portal',
        registration: { purpose: 'prefill:1.001193', attributes: [], descriptionVi: '', descriptionEn: '' },
      },
      ctx,
    );
    expect(lines).toEqual([
      'Đã đăng ký / Registered: demo-portal prefill:1.001193 (2 thuộc tính / attributes: population.fullName, population.dateOfBirth)',
    ]);
  });

  it('lists as JSON for other programs', async () => {
    const { ctx, lines } = fakeContext({ list: async () => [stored] });
    await runConsentPurposesCommand({ action: 'list', clientId: 'demo-portal', json: true }, ctx);
    expect(JSON.parse(lines.join('\n'))).toEqual([
      {
        clientId: 'demo-portal',
        purpose: 'prefill:1.001193',
        procedureCode: '1.001193',
        attributes: ['population.fullName', 'population.dateOfBirth'],
        descriptionVi: 'Điền sẵn tờ khai thủ tục đăng ký khai sinh',
        descriptionEn: 'Prefill the declaration of procedure 1.001193 (Đăng ký khai sinh)',
        createdAt: '2026-12-04T01:00:00.000Z',
        updatedAt: '2026-12-04T02:00:00.000Z',
      },
    ]);
  });

  it('never prints stored control characters to the operator’s terminal as they are', async () => {
    const hostile = { ...stored, purpose: 'x\u001b]0;pwned\u0007', descriptionVi: undefined, descriptionEn: undefined };
    const { ctx, lines } = fakeContext({ list: async () => [hostile] });
    await runConsentPurposesCommand({ action: 'list', clientId: undefined, json: false }, ctx);
    for (const line of lines) expect(line).not.toMatch(/\p{Cc}/u);
    expect(lines[0]).toContain('x\\u001b]0;pwned\\u0007');
    expect(lines.slice(1)).toEqual(['    vi: (chưa có mô tả)', '    en: (no description)']);
  });

  it('says when nothing is registered', async () => {
    const { ctx, lines } = fakeContext({ list: async () => [] });
    await runConsentPurposesCommand({ action: 'list', clientId: undefined, json: false }, ctx);
    expect(lines).toEqual(['Chưa có mục đích nào được đăng ký / No purpose registered.']);
  });

  it('on removal, says how many consents still in force keep working', async () => {
    const { ctx, lines } = fakeContext({ remove: async () => ({ consentsInForce: 2 }) });
    await runConsentPurposesCommand({ action: 'remove', clientId: 'demo-portal', purpose: 'prefill:1.001193' }, ctx);
    expect(lines[0]).toMatch(/^Đã gỡ \/ Removed: demo-portal prefill:1\.001193\./);
    expect(lines[1]).toContain('2 consent(s) in force keep working until they expire or are revoked');
  });
});
