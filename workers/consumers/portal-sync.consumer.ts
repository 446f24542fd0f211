import type { PopulationRegistryClient } from '../../connectors/population/population-registry.client';
import type { PortalClient } from '../../connectors/portal/portal.client';
import { toPortalDossier, toPortalProgress } from '../../connectors/portal/portal-sync.mapper';
import type { Clock } from '../../domain/clock';
import type { EventHandler, HubEvent } from '../../domain/events/event-bus.port';
import { ConflictError, InvalidInputError, isHubError, UpstreamUnavailableError } from '../../domain/errors';
import type { Logger } from '../../platform/logger';
import { DossierEntity } from '../../store/entities/dossier.entity';
import type { AuditLog } from '../../store/audit-log';
import type { HubOrm } from '../../store/orm';
import { hasConsumed, markConsumed } from '../../store/outbox';

export const PORTAL_SYNC = 'portal-sync';

export interface PortalSyncOptions {
  orm: HubOrm;
  portal: PortalClient;
  population: PopulationRegistryClient;
  /** The processing log: every registry read of the worker is written to it, as a resolver's is. */
  audit: Pick<AuditLog, 'append' | 'subjectRef'>;
  logger: Logger;
  /** The hub's clock: the portal's field codes are read again after an hour by it. */
  clock: Clock;
  onSynced?: (outcome: 'synced' | 'superseded' | 'rejected') => void;
}

/**
 * Keeps the national portal's copy of each dossier current. The record is built from the dossier's
 * state now, not from the event alone, so an event delivered late never moves the portal backwards.
 * The portal's sync is idempotent by dossier code, so the call is made outside any transaction and
 * the event is marked consumed only once the portal accepted it: an unreachable portal is retried
 * by the bus (nothing is lost), a refused step back (409) is superseded by a later state.
 */
export function portalSyncConsumer(options: PortalSyncOptions): EventHandler {
  let fieldCodes: { at: number; byProcedure: Map<string, string> } | undefined;

  async function fieldCodeOf(procedureCode: string): Promise<string> {
    const now = options.clock.now().getTime();
    if (!fieldCodes || now - fieldCodes.at > 3600_000 || !fieldCodes.byProcedure.has(procedureCode)) {
      const procedures = await options.portal.listAllProcedures();
      fieldCodes = { at: now, byProcedure: new Map(procedures.map((p) => [p.code, p.fieldCode])) };
    }
    const code = fieldCodes.byProcedure.get(procedureCode);
    if (!code)
      throw new InvalidInputError(`The national portal's catalogue has no procedure ${procedureCode}.`, {
        reason: 'PORTAL_SYNC.UNKNOWN_PROCEDURE',
      });
    return code;
  }

  async function applicantNameOf(dossier: DossierEntity, event: HubEvent): Promise<string> {
    if (dossier.applicantKind === 'BUSINESS') return `Doanh nghiệp mã số ${dossier.applicantId}`;
    // The sync's legal basis: the receiving agency reports its own dossier to the national portal.
    const [citizen] = await options.population.lookup([dossier.applicantId]);
    if (!citizen || citizen instanceof Error) {
      if (citizen instanceof UpstreamUnavailableError) throw citizen;
      return `Công dân số định danh ${dossier.applicantId}`;
    }
    await options.audit.append([
      {
        actor: PORTAL_SYNC,
        action: 'personal-data.read',
        subject: options.audit.subjectRef(dossier.applicantId),
        basis: `dossier:${dossier.code}`,
        requestId: null,
        details: { fields: ['fullName'], source: 'population-registry', purpose: 'national-portal-sync', eventId: event.id },
      },
    ]);
    return citizen.fullName;
  }

  return async (event: HubEvent) => {
    // The signed result is not a change of status: the portal hears of the result from result-recorded.
    if (!event.type.startsWith('dossier.') || event.type === 'dossier.result-signed') return;
    if (await hasConsumed(options.orm, PORTAL_SYNC, event.id)) return;
    const dossier = await options.orm.em
      .fork()
      .findOne(DossierEntity, { code: event.subject }, { populate: ['procedure', 'receivingAgency', 'currentAgency'] });
    if (!dossier) return;
    const state = {
      code: dossier.code,
      procedureCode: dossier.procedure.code,
      agencyCode: dossier.receivingAgency.code,
      currentAgencyCode: dossier.currentAgency?.code ?? null,
      channel: dossier.channel,
      applicantKind: dossier.applicantKind,
      status: dossier.status,
      receivedAt: dossier.receivedAt.toISOString(),
      dueAt: dossier.dueAt?.toISOString() ?? null,
      at: dossier.updatedAt.toISOString(),
      action: typeof event.data.action === 'string' ? event.data.action : null,
    };
    try {
      const record = toPortalDossier(state, {
        applicantName: await applicantNameOf(dossier, event),
        fieldCode: await fieldCodeOf(dossier.procedure.code),
        returnedAt: dossier.returnedAt ?? null,
      });
      await options.portal.syncDossier(record);
      await options.portal.syncProgress(dossier.code, toPortalProgress({ ...state, ...event.data, at: event.time.toISOString() }));
      options.onSynced?.('synced');
    } catch (error) {
      if (error instanceof ConflictError) {
        options.logger.info({ eventId: event.id, code: event.subject }, 'portal already holds a later state; event superseded');
        options.onSynced?.('superseded');
      } else if (error instanceof InvalidInputError) {
        // A record the portal cannot take will not improve by retrying: report it and move on.
        options.logger.error({ err: error, eventId: event.id, code: event.subject }, 'portal refused the dossier record');
        options.onSynced?.('rejected');
      } else {
        if (!isHubError(error)) options.logger.error({ err: error }, 'portal sync failed unexpectedly');
        throw error;
      }
    }
    await markConsumed(options.orm, PORTAL_SYNC, event);
  };
}
