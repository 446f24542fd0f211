import { parseArgs } from 'node:util';
import { CONSENT_ATTRIBUTES } from '../domain/consent/consent';
import type { PurposeRegistration } from '../domain/consent/consent-purposes';
import { InvalidInputError } from '../domain/errors';
import type { ConsentPurposeRegistry, RegisteredConsentPurpose, RegistrationOutcome } from '../store/services/consent-purposes.service';

export const CONSENT_PURPOSES_HELP = `  consent-purposes register CLIENT PURPOSE --attributes a,b --description-vi TEXT --description-en TEXT
  consent-purposes register-prefill CLIENT [--procedure CODE]...
  consent-purposes list [CLIENT] [--json] | consent-purposes remove CLIENT PURPOSE
                   The purposes a portal may ask citizens' consent for, with the attributes each covers
                   and the description the consent page shows. See: hub consent-purposes --help.`;

// Wrapped to the help's column.
const ATTRIBUTES = CONSENT_ATTRIBUTES.reduce<string[]>((lines, attribute, i) => {
  const item = `${attribute}${i < CONSENT_ATTRIBUTES.length - 1 ? ',' : '.'}`;
  const last = lines.at(-1);
  if (last !== undefined && last.length + item.length < 80) lines[lines.length - 1] = `${last} ${item}`;
  else lines.push(item);
  return lines;
}, []).join('\n                     ');

const REGISTER_HELP = `Usage: npm run hub -- consent-purposes register CLIENT PURPOSE --attributes a,b,c --description-vi TEXT --description-en TEXT

Registers (or replaces) a purpose the portal CLIENT may ask citizens' consent for. grantConsent accepts
only a registered purpose, and only attributes it covers.

  PURPOSE            lower-case letters, digits and "-", optionally ":" and a qualifier, at most 100
                     characters: eligibility-check, prefill:1.001193. A prefill:<procedure code> purpose
                     names a procedure with a field list (reference/catalogue/prefill-fields.json) and
                     may cover only attributes those fields read: more is refused (data minimisation).
  --attributes       comma-separated, at least one, of:
                     ${ATTRIBUTES}
  --description-vi   what the citizen reads on the consent page, in Vietnamese (1-500 characters).
  --description-en   the same in English (1-500 characters).

Exits 1 on an unknown client, a client that is not a PORTAL, an unknown attribute (the valid ones are
listed) or a purpose the rules refuse.`;

const REGISTER_PREFILL_HELP = `Usage: npm run hub -- consent-purposes register-prefill CLIENT [--procedure CODE]... [--json]

Registers the default prefill purpose of each procedure named (every procedure with a prefill field
list when none is): prefill:<code>, covering exactly the attributes its declaration's fields read,
described "Điền sẵn tờ khai thủ tục <tên thủ tục>" / "Prefill the declaration of procedure <code> (<name>)".
Running it again changes nothing; it resets a purpose changed since to the default.`;

const LIST_HELP = `Usage: npm run hub -- consent-purposes list [CLIENT] [--json]

Lists the registered purposes (of CLIENT, or of every client): attributes and descriptions.
--json prints them as a JSON array (clientId, purpose, procedureCode, attributes, descriptionVi,
descriptionEn, createdAt, updatedAt).`;

const REMOVE_HELP = `Usage: npm run hub -- consent-purposes remove CLIENT PURPOSE

Removes a purpose: from then on no consent can be asked for it. Consents already given for it keep
working until they expire or are revoked (the hub checks a consent against its own record, not against
the purposes); the command says how many are still in force. To end those too, revoke them
(revokeConsent).`;

export const CONSENT_PURPOSES_USAGE = `Usage: npm run hub -- consent-purposes <command> [options]

The purposes each portal may ask citizens' consent for (docs/API.md, "consentPurposes").

Commands:
  register CLIENT PURPOSE --attributes a,b --description-vi TEXT --description-en TEXT
                   Register or replace a purpose (see: consent-purposes register --help).
  register-prefill CLIENT [--procedure CODE]...
                   Register the default purpose of prefill procedures (all when none is named).
  list [CLIENT] [--json]
                   The registered purposes, of one client or of all.
  remove CLIENT PURPOSE
                   Remove a purpose; consents already given keep working until they expire or are revoked.

Options:
  -h, --help       Show this help (or a command's).`;

const COMMAND_HELP: Record<string, string> = {
  register: REGISTER_HELP,
  'register-prefill': REGISTER_PREFILL_HELP,
  list: LIST_HELP,
  remove: REMOVE_HELP,
};

export type ConsentPurposesCommand =
  | { action: 'help'; text: string }
  | { action: 'register'; clientId: string; registration: PurposeRegistration }
  | { action: 'register-prefill'; clientId: string; procedureCodes: string[]; json: boolean }
  | { action: 'list'; clientId: string | undefined; json: boolean }
  | { action: 'remove'; clientId: string; purpose: string };

function usage(message: string, help: string): InvalidInputError {
  return new InvalidInputError(`${message}\n\n${help}`, { reason: 'CONSENT_PURPOSES_COMMAND.USAGE' });
}

/** Comma-separated, possibly given more than once. */
const listOf = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

/** Reads `consent-purposes …` (the words after it); throws a usage error naming what is wrong. */
export function parseConsentPurposesArgs(argv: readonly string[]): ConsentPurposesCommand {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h' || action === 'help') {
    return { action: 'help', text: CONSENT_PURPOSES_USAGE };
  }
  const help = COMMAND_HELP[action];
  if (!help) {
    throw usage(`consent-purposes: lệnh không có / unknown command "${action.slice(0, 40)}".`, CONSENT_PURPOSES_USAGE);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        attributes: { type: 'string', multiple: true },
        'description-vi': { type: 'string' },
        'description-en': { type: 'string' },
        procedure: { type: 'string', multiple: true },
      },
    });
  } catch (error) {
    throw usage(`consent-purposes ${action}: ${error instanceof Error ? error.message : String(error)}`, help);
  }
  const { values, positionals } = parsed;
  if (values.help) return { action: 'help', text: help };
  // Each command takes only its own options: a misplaced one is a mistake, not something to ignore.
  const allowed: Record<string, readonly string[]> = {
    register: ['attributes', 'description-vi', 'description-en'],
    'register-prefill': ['procedure', 'json'],
    list: ['json'],
    remove: [],
  };
  const stray = Object.keys(values).filter((name) => name !== 'help' && !allowed[action]!.includes(name));
  if (stray.length > 0) {
    throw usage(`consent-purposes ${action}: tùy chọn không dùng ở đây / option not for this command: --${stray.join(', --')}.`, help);
  }
  const positionalsExactly = (count: number, names: string) => {
    if (positionals.length !== count) {
      throw usage(`consent-purposes ${action}: cần / give ${names}${positionals.length > count ? ' (and nothing more)' : ''}.`, help);
    }
  };
  switch (action) {
    case 'register': {
      positionalsExactly(2, 'CLIENT PURPOSE');
      const attributes = listOf(values.attributes);
      const missing = [
        ...(attributes.length === 0 ? ['--attributes'] : []),
        ...(values['description-vi'] === undefined ? ['--description-vi'] : []),
        ...(values['description-en'] === undefined ? ['--description-en'] : []),
      ];
      if (missing.length > 0) throw usage(`consent-purposes register: thiếu / missing ${missing.join(', ')}.`, help);
      return {
        action: 'register',
        clientId: positionals[0]!,
        registration: {
          purpose: positionals[1]!,
          attributes,
          descriptionVi: values['description-vi']!,
          descriptionEn: values['description-en']!,
        },
      };
    }
    case 'register-prefill':
      positionalsExactly(1, 'CLIENT');
      return {
        action: 'register-prefill',
        clientId: positionals[0]!,
        procedureCodes: listOf(values.procedure),
        json: values.json ?? false,
      };
    case 'list':
      if (positionals.length > 1) throw usage('consent-purposes list: cần nhiều nhất một / give at most one CLIENT.', help);
      return { action: 'list', clientId: positionals[0], json: values.json ?? false };
    default:
      positionalsExactly(2, 'CLIENT PURPOSE');
      return { action: 'remove', clientId: positionals[0]!, purpose: positionals[1]! };
  }
}

export interface ConsentPurposesContext {
  purposes: Pick<ConsentPurposeRegistry, 'register' | 'registerDefaultPrefill' | 'list' | 'remove'>;
  print(line: string): void;
}

const OUTCOME: Record<RegistrationOutcome, string> = {
  CREATED: 'Đã đăng ký / Registered',
  UPDATED: 'Đã cập nhật / Updated',
  UNCHANGED: 'Không đổi / Unchanged',
};

/** Stored text shown on an operator's terminal: control characters as escapes, never interpreted. */
const printable = (text: string) => text.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function asJson(purpose: RegisteredConsentPurpose) {
  return {
    clientId: purpose.clientId,
    purpose: purpose.purpose,
    procedureCode: purpose.procedureCode,
    attributes: [...purpose.attributes],
    descriptionVi: purpose.descriptionVi ?? null,
    descriptionEn: purpose.descriptionEn ?? null,
    createdAt: purpose.createdAt.toISOString(),
    updatedAt: purpose.updatedAt.toISOString(),
  };
}

function registered(ctx: ConsentPurposesContext, purpose: RegisteredConsentPurpose, outcome: RegistrationOutcome): void {
  ctx.print(
    `${OUTCOME[outcome]}: ${printable(purpose.clientId)} ${printable(purpose.purpose)} (${purpose.attributes.length} thuộc tính / attributes: ${purpose.attributes.join(', ')})`,
  );
}

export async function runConsentPurposesCommand(command: ConsentPurposesCommand, ctx: ConsentPurposesContext): Promise<void> {
  switch (command.action) {
    case 'help':
      ctx.print(command.text);
      return;
    case 'register': {
      const { purpose, outcome } = await ctx.purposes.register(command.clientId, command.registration);
      registered(ctx, purpose, outcome);
      return;
    }
    case 'register-prefill': {
      const results = await ctx.purposes.registerDefaultPrefill(command.clientId, command.procedureCodes);
      if (command.json) {
        ctx.print(
          JSON.stringify(
            results.map((r) => ({ ...asJson(r.purpose), outcome: r.outcome })),
            null,
            2,
          ),
        );
        return;
      }
      for (const { purpose, outcome } of results) registered(ctx, purpose, outcome);
      return;
    }
    case 'list': {
      const purposes = await ctx.purposes.list(command.clientId);
      if (command.json) {
        ctx.print(JSON.stringify(purposes.map(asJson), null, 2));
        return;
      }
      if (purposes.length === 0) {
        ctx.print('Chưa có mục đích nào được đăng ký / No purpose registered.');
        return;
      }
      for (const p of purposes) {
        ctx.print(`${printable(p.clientId).padEnd(20)} ${printable(p.purpose).padEnd(24)} ${p.attributes.join(',')}`);
        ctx.print(`    vi: ${p.descriptionVi === undefined ? '(chưa có mô tả)' : printable(p.descriptionVi)}`);
        ctx.print(`    en: ${p.descriptionEn === undefined ? '(no description)' : printable(p.descriptionEn)}`);
      }
      return;
    }
    case 'remove': {
      const { consentsInForce } = await ctx.purposes.remove(command.clientId, command.purpose);
      ctx.print(
        `Đã gỡ / Removed: ${printable(command.clientId)} ${printable(command.purpose)}. Không thể xin sự đồng ý mới cho mục đích này / No new consent can be asked for it.`,
      );
      if (consentsInForce > 0) {
        ctx.print(
          `${consentsInForce} sự đồng ý còn hiệu lực vẫn dùng được đến khi hết hạn hoặc bị thu hồi / ` +
            `${consentsInForce} consent(s) in force keep working until they expire or are revoked (revokeConsent).`,
        );
      }
      return;
    }
  }
}
