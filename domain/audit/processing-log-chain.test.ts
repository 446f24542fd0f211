import { createHash, createHmac } from 'node:crypto';
import {
  ChainVerifier,
  GENESIS,
  linkInput,
  UNKEYED_SCHEME,
  type ChainLinks,
  type ChainReport,
  type Checkpoint,
  type LoggedEntry,
} from './processing-log-chain';

/** Links as certs/ computes them, under a test key. */
const links: ChainLinks = {
  current: 'hmac-sha256:v1',
  link: (scheme, input) =>
    scheme === 'hmac-sha256:v1'
      ? createHmac('sha256', 'chain-key').update(input).digest('hex')
      : scheme === UNKEYED_SCHEME
        ? createHash('sha256').update(input).digest('hex')
        : undefined,
};

/** A log of `schemes.length` entries with ids 10, 20, 30, ... chained under the given schemes. */
function chain(schemes: string[]): LoggedEntry[] {
  let previous = GENESIS;
  return schemes.map((scheme, index) => {
    const seq = index + 1;
    const at = new Date(Date.UTC(2026, 11, 3, 9, 0, seq)).toISOString();
    const entry = { actor: 'demo-district', action: 'read', subject: `ps1:${seq}`, basis: null, requestId: null, details: { n: seq } };
    const hash = links.link(scheme, linkInput(scheme, previous, seq, at, entry))!;
    const row: LoggedEntry = { id: String(seq * 10), seq, at, scheme, previousHash: previous, hash, entry };
    previous = hash;
    return row;
  });
}

const keyed = (n: number) => chain(Array.from({ length: n }, () => links.current));

function verify(rows: LoggedEntry[], checkpoints: Checkpoint[] = []): ChainReport {
  const verifier = new ChainVerifier(links, checkpoints);
  rows.forEach((row, index) => verifier.feed(row, rows[index + 1]));
  return verifier.finish();
}

const checkpointOf = (rows: LoggedEntry[]): Checkpoint => ({
  count: rows.length,
  head: rows.at(-1)!.hash,
  lastId: rows.at(-1)!.id,
  at: '2026-12-03T09:10:00.000Z',
});

/** Outcome as [kind, entry named] or 'ok'. */
const outcome = (report: ChainReport) => (report.ok ? 'ok' : [report.problem.kind, report.problem.entryId]);

describe('the keyed chain of the processing log', () => {
  const five = keyed(5);
  const checkpoint = checkpointOf(five);
  const cases: [string, () => LoggedEntry[], Checkpoint[], 'ok' | [string, string | null]][] = [
    ['an untouched log', () => five, [checkpoint], 'ok'],
    ['an empty log, never checkpointed', () => [], [], 'ok'],
    [
      'an edited entry',
      () => five.map((r) => (r.id === '30' ? { ...r, entry: { ...r.entry, actor: 'someone-else' } } : r)),
      [],
      ['changed', '30'],
    ],
    [
      'an edited entry relinked with a plain SHA-256, as one without the chain key would',
      () => {
        const rows = five.map((r) => ({ ...r }));
        const third = rows[2]!;
        third.entry = { ...third.entry, actor: 'someone-else' };
        third.scheme = UNKEYED_SCHEME;
        third.hash = links.link(UNKEYED_SCHEME, linkInput(UNKEYED_SCHEME, third.previousHash, 3, third.at, third.entry))!;
        return rows;
      },
      [],
      ['unkeyed', '30'],
    ],
    ['a deleted middle entry', () => five.filter((r) => r.id !== '30'), [], ['missing', '40']],
    ['two deleted middle entries', () => five.filter((r) => r.id !== '20' && r.id !== '30'), [], ['missing', '40']],
    ['a deleted first entry', () => five.slice(1), [], ['missing', '20']],
    ['a reordered pair', () => [five[0]!, five[2]!, five[1]!, five[3]!, five[4]!], [], ['reordered', '30']],
    ['the last two swapped', () => [...five.slice(0, 3), five[4]!, five[3]!], [], ['reordered', '50']],
    ['a deleted tail, against the checkpoint', () => five.slice(0, 3), [checkpoint], ['missing-tail', '30']],
    ['everything deleted, against the checkpoint', () => [], [checkpoint], ['missing-tail', null]],
    ['a deleted tail with no checkpoint: not detectable', () => five.slice(0, 3), [], 'ok'],
    ['a checkpoint from another log', () => five, [{ ...checkpoint, head: 'f'.repeat(64) }], ['checkpoint-mismatch', '50']],
    ['the log grew after the checkpoint', () => keyed(7), [checkpoint], 'ok'],
    ['an unknown scheme', () => five.map((r) => (r.id === '20' ? { ...r, scheme: 'md5' } : r)), [], ['unknown-scheme', '20']],
  ];

  it.each(cases)('%s', (_name, rows, checkpoints, expected) => {
    expect(outcome(verify(rows(), checkpoints))).toEqual(expected);
  });

  it('entries of the first, unkeyed scheme before the keyed ones pass, and the first keyed entry protects them', () => {
    const mixed = chain([UNKEYED_SCHEME, UNKEYED_SCHEME, links.current, links.current]);
    expect(verify(mixed)).toEqual({ ok: true, entries: 4, checkpoints: 0, keyedFrom: '30' });
    // Rewriting an unkeyed entry and recomputing its plain hash breaks the keyed entry after it.
    const rewritten = mixed.map((r) => ({ ...r }));
    const second = rewritten[1]!;
    second.entry = { ...second.entry, actor: 'someone-else' };
    second.hash = links.link(UNKEYED_SCHEME, linkInput(UNKEYED_SCHEME, second.previousHash, 2, second.at, second.entry))!;
    expect(outcome(verify(rewritten))).toEqual(['relinked', '30']);
  });

  it('another chain key fails at the first keyed entry, and says HUB_SECRET may be the cause', () => {
    const other: ChainLinks = {
      current: links.current,
      link: (_scheme, input) => createHmac('sha256', 'another-key').update(input).digest('hex'),
    };
    const verifier = new ChainVerifier(other);
    five.forEach((row, index) => verifier.feed(row, five[index + 1]));
    expect(verifier.finish()).toMatchObject({
      ok: false,
      problem: {
        kind: 'changed',
        entryId: '10',
        message:
          'entry 10 was changed after it was written (its link does not match its content), or HUB_SECRET is not the secret the log was written under',
      },
    });
  });

  it('names the entries in its messages', () => {
    const report = verify(five.filter((r) => r.id !== '30'));
    expect(report).toMatchObject({
      ok: false,
      problem: { message: 'entries at position 3 are missing before entry 40 (after entry 20): deleted' },
    });
    const tail = verify(five.slice(0, 3), [checkpoint]);
    expect(tail).toMatchObject({
      ok: false,
      problem: {
        message:
          'the log ends at entry 30 (3 entries), but the checkpoint of 2026-12-03T09:10:00.000Z counted 5 ending at entry 50: entries after entry 30 were deleted',
      },
    });
  });
});
