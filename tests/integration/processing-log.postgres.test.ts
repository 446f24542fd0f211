import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { HubProcessingLogKeys, TokenKeyCheckpointSigner } from '../../certs/processing-log-keys';
import { TokenKeyRing } from '../../certs/token-key-ring';
import { loadConfig } from '../../platform/config';
import { runAdminCommand, type AdminContext } from '../../scripts/admin-commands';
import { AuditCheckpoints } from '../../store/audit-checkpoints';
import { AuditLog } from '../../store/audit-log';
import type { Store } from '../../store/database';
import type { StoreServices } from '../../store/services';
import { migrate } from '../../store/orm';
import { SigningKeyRepository } from '../../store/signing-key.repository';
import { UnitOfWork } from '../../store/unit-of-work';
import { dropSchema, freshSchemaName, openTestStore } from '../support/database';
import { testEnv } from '../support/environment';
import { HUB_SCRIPT } from '../support/hub-process';
import { startTestHub, type TestHub } from '../support/test-hub';

const SECRET = 'a-processing-log-test-secret-of-32+chars';

/** The database's operator: a session of its own, triggers off as replication would have them. */
async function asOperator<T>(schema: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testEnv('databaseUrl') });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema}"`);
    await client.query(`set session_replication_role = replica`);
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs the real CLI from dist against the test database. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HUB_SCRIPT, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the processing log proves itself (real PostgreSQL)', () => {
  const schema = freshSchemaName('processing_log');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'processing-log-'));
  const checkpointFile = path.join(dataDir, 'audit-checkpoints.jsonl');
  const env = {
    HUB_SECRET: SECRET,
    DATA_DIR: dataDir,
    DATABASE_URL: testEnv('databaseUrl'),
    DATABASE_SCHEMA: schema,
    NODE_ENV: 'test',
    DEMO_DATA: 'false',
  };
  let store: Store;
  let log: AuditLog;
  let ctx: AdminContext;
  let ids: string[];
  let original: Record<string, unknown>[];

  /** `hub audit verify` as the CLI runs it: what it printed, or the failure it exits with. */
  async function auditVerify(): Promise<string> {
    const printed: string[] = [];
    try {
      await runAdminCommand('audit', ['verify'], { ...ctx, print: (line) => printed.push(line) });
      return printed.join('\n');
    } catch (error) {
      return (error as Error).message;
    }
  }

  beforeAll(async () => {
    store = await openTestStore(schema);
    const config = loadConfig(env);
    ctx = { config, store, services: {} as StoreServices, print: () => undefined };
    log = new AuditLog(store.orm, new HubProcessingLogKeys(SECRET));
    for (let n = 1; n <= 6; n += 1) {
      await log.append([
        {
          actor: 'demo-district',
          action: 'read',
          subject: log.subjectRef(`00109000000${n}`),
          basis: `dossier:D-${n}`,
          requestId: null,
          details: { n },
        },
      ]);
    }
    const ring = new TokenKeyRing(new SigningKeyRepository(store.orm), SECRET, {
      issuer: config.TOKEN_ISSUER,
      audience: config.TOKEN_AUDIENCE,
      ttlSeconds: 300,
    });
    await ring.ensureKey();
    await new AuditCheckpoints(log, new TokenKeyCheckpointSigner(ring), checkpointFile, new UnitOfWork(store.orm)).write();
    original = await asOperator(schema, async (c) => (await c.query('select * from audit_log order by id')).rows);
    ids = original.map((row) => String(row.id));
  });

  afterEach(async () => {
    // Put the log back as it was, as only the operator could.
    await asOperator(schema, async (c) => {
      await c.query('delete from audit_log');
      await c.query('insert into audit_log select * from json_populate_recordset(null::audit_log, $1)', [JSON.stringify(original)]);
    });
  });

  afterAll(async () => {
    await store?.close();
    await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an untouched log passes, against its signed checkpoint', async () => {
    expect(await auditVerify()).toBe(
      `processing log intact: 6 entries, keyed from entry ${ids[0]}, 1 checkpoints held (${checkpointFile})`,
    );
  });

  it('append-only: UPDATE, DELETE and TRUNCATE through normal SQL are refused by the trigger', async () => {
    const em = store.orm.em.fork();
    await expect(em.execute(`update audit_log set actor = 'someone-else' where id = ?`, [ids[2]])).rejects.toThrow(
      'audit_log is append-only: UPDATE refused',
    );
    await expect(em.execute(`delete from audit_log where id = ?`, [ids[5]])).rejects.toThrow('audit_log is append-only: DELETE refused');
    await expect(em.execute(`truncate audit_log`)).rejects.toThrow('audit_log is append-only: TRUNCATE refused');
    expect(await auditVerify()).toMatch(/^processing log intact: 6 entries/);
  });

  it('an edited entry is found and named', async () => {
    await asOperator(schema, (c) => c.query(`update audit_log set actor = 'someone-else' where id = $1`, [ids[2]]));
    expect(await auditVerify()).toBe(
      `processing log FAILED at entry ${ids[2]}: entry ${ids[2]} was changed after it was written (its link does not match its content)`,
    );
  });

  it('an edited entry relabelled as of the old, unkeyed chain is found: the database alone cannot make a link', async () => {
    await asOperator(schema, (c) =>
      c.query(`update audit_log set actor = 'someone-else', chain_scheme = 'sha256' where id = $1`, [ids[2]]),
    );
    expect(await auditVerify()).toBe(
      `processing log FAILED at entry ${ids[2]}: entry ${ids[2]} is not keyed, but the keyed chain began at entry ${ids[0]}: it was written without the chain key`,
    );
  });

  it('a deleted middle entry is found, the entry after it named', async () => {
    await asOperator(schema, (c) => c.query(`delete from audit_log where id = $1`, [ids[2]]));
    expect(await auditVerify()).toBe(
      `processing log FAILED at entry ${ids[3]}: entries at position 3 are missing before entry ${ids[3]} (after entry ${ids[1]}): deleted`,
    );
  });

  it('a deleted tail is found against the last checkpoint', async () => {
    await asOperator(schema, (c) => c.query(`delete from audit_log where id in ($1, $2)`, [ids[4], ids[5]]));
    const report = await auditVerify();
    expect(report).toMatch(
      new RegExp(
        `^processing log FAILED at entry ${ids[3]}: the log ends at entry ${ids[3]} \\(4 entries\\), but the checkpoint of \\S+ counted 6 ending at entry ${ids[5]}: entries after entry ${ids[3]} were deleted$`,
      ),
    );
  });

  it('a reordered pair is found', async () => {
    await asOperator(schema, async (c) => {
      await c.query(`update audit_log set id = -1 where id = $1`, [ids[2]]);
      await c.query(`update audit_log set id = $1 where id = $2`, [ids[2], ids[3]]);
      await c.query(`update audit_log set id = $1 where id = -1`, [ids[3]]);
    });
    expect(await auditVerify()).toBe(
      `processing log FAILED at entry ${ids[2]}: entry ${ids[2]} holds position 4 but comes where position 3 belongs (entry ${ids[3]} holds it): entries were reordered`,
    );
  });

  it('a checkpoint altered in its file is refused', async () => {
    const text = readFileSync(checkpointFile, 'utf8');
    try {
      writeFileSync(checkpointFile, text.replace('"count":6', '"count":4'));
      expect(await auditVerify()).toBe(`processing log FAILED: line 1 of ${checkpointFile} is not a checkpoint signed by this hub`);
    } finally {
      writeFileSync(checkpointFile, text);
    }
  });

  it('the real CLI from dist: exits 0 on the untouched log, signs a checkpoint, exits 1 naming the entry on a tampered one; audit --help', async () => {
    const intact = await cli(['audit', 'verify'], env);
    expect([intact.code, intact.stdout.trim()]).toEqual([
      0,
      `processing log intact: 6 entries, keyed from entry ${ids[0]}, 1 checkpoints held (${checkpointFile})`,
    ]);
    const signed = await cli(['audit', 'checkpoint'], env);
    expect([signed.code, signed.stdout]).toEqual([
      0,
      expect.stringMatching(new RegExp(`^checkpoint signed: 6 entries, head [0-9a-f]{64} \\(entry ${ids[5]}\\) at `)),
    ]);
    expect(readFileSync(checkpointFile, 'utf8').trim().split('\n')).toHaveLength(2);
    await asOperator(schema, (c) => c.query(`delete from audit_log where id = $1`, [ids[1]]));
    const tampered = await cli(['audit', 'verify'], env);
    expect([tampered.code, tampered.stderr.trim()]).toEqual([
      1,
      `hub: processing log FAILED at entry ${ids[2]}: entries at position 2 are missing before entry ${ids[2]} (after entry ${ids[0]}): deleted`,
    ]);
    const help = await cli(['audit', '--help'], {});
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('verify           Walk the whole log')]);
  });
});

describe('checkpoints are published: the file, the event and GET /audit/checkpoints', () => {
  let hub: TestHub;
  let stopped = false;

  beforeAll(async () => {
    hub = await startTestHub('checkpoints');
  });

  afterAll(async () => {
    if (!stopped) return hub?.dispose();
    await dropSchema(hub.config.DATABASE_SCHEMA);
    rmSync(hub.config.DATA_DIR, { recursive: true, force: true });
  });

  it('a checkpoint anyone can check against the JWKS, as an event without personal data, and one at shutdown', async () => {
    await hub.services.audit.append([
      {
        actor: 'demo-district',
        action: 'read',
        subject: hub.services.audit.subjectRef('001090000001'),
        basis: 'dossier:D-1',
        requestId: null,
        details: {},
      },
    ]);
    const written = await hub.checkpoints.write();
    expect(written).toMatchObject({ count: 1, lastId: expect.any(String), head: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const response = await fetch(`${hub.url}/audit/checkpoints`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checkpoints: { jws: string; count: number }[]; keys: string };
    expect(body.checkpoints.map((c) => c.count)).toEqual([1]);
    const jwks = (await (await fetch(`${hub.url}${body.keys}`)).json()) as { keys: JWK[] };
    const { payload, protectedHeader } = await jwtVerify(body.checkpoints[0]!.jws, createLocalJWKSet(jwks), {
      issuer: hub.config.TOKEN_ISSUER,
    });
    expect([protectedHeader.typ, payload.count, payload.head]).toEqual(['audit-checkpoint+jwt', 1, written.head]);
    expect((await fetch(`${hub.url}/audit/checkpoints?limit=0`)).status).toBe(400);

    const events = await hub.store.orm.em
      .fork()
      .execute<{ subject: string; data: Record<string, unknown> }[]>(
        `select subject, data from outbox_event where type = 'audit.checkpoint'`,
      );
    expect(events.map((e) => [e.subject, Object.keys(e.data).sort()])).toEqual([
      ['processing-log', ['at', 'count', 'head', 'jws', 'lastId']],
    ]);

    await hub.services.audit.append([{ actor: 'demo-district', action: 'read', subject: null, basis: null, requestId: null, details: {} }]);
    await hub.stop();
    stopped = true;
    const lines = readFileSync(hub.checkpoints.location, 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { count: number }).count)).toEqual([1, 2]);
  });
});

describe('an existing log, written before the keyed chain', () => {
  const schema = freshSchemaName('processing_log_upgrade');
  let store: Store;

  afterAll(async () => {
    await store?.close();
    await dropSchema(schema);
  });

  it('keeps verifying after the migration; the first keyed entry seals it; old pseudonyms are still found', async () => {
    store = await openTestStore(schema);
    const em = store.orm.em.fork();
    // Back to before the keyed chain (this migration and any after it reverted).
    await store.orm.getMigrator().down({ to: 'Migration20261203AppendOnlyAuditLog' });
    // Two entries exactly as the first scheme wrote them: SHA-256 of previous|at|entry, pseudonyms keyed with HUB_SECRET itself.
    const oldRef = `hmac:${createHmac('sha256', SECRET).update('001090000001').digest('hex').slice(0, 32)}`;
    let previous = '0'.repeat(64);
    for (const [n, at] of ['2026-11-30T01:00:00.000Z', '2026-11-30T02:00:00.000Z'].entries()) {
      const canonical = `{"action":"read","actor":"demo-district","basis":null,"details":{"n":${n}},"requestId":null,"subject":"${oldRef}"}`;
      const hash = createHash('sha256').update(`${previous}|${at}|${canonical}`).digest('hex');
      await em.execute(
        `insert into audit_log (at, actor, action, subject, basis, request_id, details, previous_hash, hash) values (?, 'demo-district', 'read', ?, null, null, ?, ?, ?)`,
        [at, oldRef, JSON.stringify({ n }), previous, hash],
      );
      previous = hash;
    }
    expect(await migrate(store.orm)).toContain('Migration20261203AppendOnlyAuditLog');

    const log = new AuditLog(store.orm, new HubProcessingLogKeys(SECRET));
    expect(await log.verify()).toEqual({ ok: true, entries: 2, checkpoints: 0, keyedFrom: null });
    await log.append([
      { actor: 'demo-district', action: 'read', subject: log.subjectRef('001090000001'), basis: null, requestId: null, details: {} },
    ]);
    const rows = await em.execute<{ id: string; seq: string; chain_scheme: string; subject: string }[]>(
      'select id, seq, chain_scheme, subject from audit_log order by id',
    );
    expect(rows.map((r) => [Number(r.seq), r.chain_scheme])).toEqual([
      [1, 'sha256'],
      [2, 'sha256'],
      [3, 'hmac-sha256:v1'],
    ]);
    expect(await log.verify()).toEqual({ ok: true, entries: 3, checkpoints: 0, keyedFrom: rows[2]!.id });
    // The person's entries under both pseudonyms: the new one first, the first scheme's after.
    expect(log.subjectRefs('001090000001')).toEqual([rows[2]!.subject, oldRef]);
  });
});
