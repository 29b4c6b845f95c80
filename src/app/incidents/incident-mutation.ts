// Optimistic updates of an incident: plan a patch from the stored version, write it only if nobody
// changed the incident meanwhile, else re-read and plan again. Other replicas may write the same
// incident (alerts and clicks land anywhere).

import { RedriveError } from '../../errors.ts';
import type { Incident, IncidentPatch } from '../../core/model.ts';
import type { Store } from '../../ports/store.port.ts';

const ATTEMPTS = 6;

/**
 * Applies `plan(current)` with the store's version check, retrying on conflict. Resolves null when
 * the incident is gone or `plan` declines (returns null) on the current state.
 */
export const mutateIncident = async <R>(
  store: Pick<Store, 'updateIncident' | 'getIncident'>,
  incident: Incident,
  plan: (current: Incident) => { patch: IncidentPatch; result: R } | null,
): Promise<{ incident: Incident; result: R } | null> => {
  let current: Incident = incident;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const planned = plan(current);
    if (planned === null) return null;
    const updated = await store.updateIncident(current.id, current.version, planned.patch);
    if (updated.ok) return { incident: updated.value, result: planned.result };
    if (updated.reason === 'not-found') return null;
    const fresh = await store.getIncident(current.id);
    if (!fresh) return null;
    current = fresh;
  }
  throw new RedriveError('STORE_CONFLICT', `Incident ${incident.id} kept changing; gave up after ${ATTEMPTS} attempts.`, {
    context: { incidentId: incident.id, queue: incident.queue },
  });
};

/** Applies a patch built from the incident's current data, e.g. to note a posted message. */
export const patchIncident = async (
  store: Pick<Store, 'updateIncident' | 'getIncident'>,
  id: string,
  plan: (current: Incident) => IncidentPatch | null,
): Promise<Incident | null> => {
  const incident = await store.getIncident(id);
  if (!incident) return null;
  const done = await mutateIncident(store, incident, (current) => {
    const patch = plan(current);
    return patch === null ? null : { patch, result: null };
  });
  return done?.incident ?? null;
};
