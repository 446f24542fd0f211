import { Client } from 'pg';
import type { Logger } from '../platform/logger';

/**
 * The channel the outbox trigger notifies on commit of a transaction that wrote outbox rows; the
 * payload is the schema of the table, so hubs sharing one database in separate schemas wake only
 * their own relay.
 */
export const OUTBOX_CHANNEL = 'hub_outbox';

/** What the relay needs from a source of "events were committed" signals. */
export interface OutboxNotifications {
  /** Starts listening; `onNotify` is called per notification and after each (re)connection. */
  start(onNotify: () => void): void;
  stop(): Promise<void>;
}

export interface OutboxListenerOptions {
  /** Longest pause between reconnection attempts. @default 30000 */
  maxReconnectDelayMs?: number;
}

/**
 * A dedicated connection that LISTENs on the outbox channel (a pooled connection cannot: LISTEN is
 * per session). Reconnects after an outage and then reports a notification, since any sent while
 * it was away are lost to it.
 */
export class OutboxListener implements OutboxNotifications {
  private client: Client | undefined;
  private onNotify: (() => void) | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private delayMs = 0;
  /** Sessions opened so far (1 after the first connection; each reconnection adds one). */
  connections = 0;
  connected = false;

  constructor(
    private readonly url: string,
    private readonly schema: string,
    private readonly logger: Logger,
    private readonly options: OutboxListenerOptions = {},
  ) {}

  start(onNotify: () => void): void {
    this.onNotify = onNotify;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, keepAlive: true, application_name: 'hub-outbox-listener' });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      this.connected = false;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      if (this.delayMs === 0) this.logger.warn({ err: error }, 'outbox listener lost its database connection; reconnecting');
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === OUTBOX_CHANNEL && message.payload === this.schema) this.onNotify?.();
    });
    try {
      await client.connect();
      await client.query(`listen ${OUTBOX_CHANNEL}`);
    } catch (error) {
      onLost(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.stopped || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.connected = true;
    this.connections += 1;
    if (this.delayMs > 0) this.logger.info('outbox listener reconnected');
    this.delayMs = 0;
    // Whatever was committed while not listening is only found by looking.
    this.onNotify?.();
  }

  private scheduleReconnect(): void {
    this.delayMs = Math.min(Math.max(this.delayMs * 2, 250), this.options.maxReconnectDelayMs ?? 30_000);
    this.retryTimer = setTimeout(() => void this.connect(), this.delayMs);
  }
}
