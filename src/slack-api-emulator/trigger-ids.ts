// trigger_ids as Slack hands them out with interactions, for both workspaces: each opens one view
// (views.open / views.push); a second use answers `exchanged_trigger_id`. State only.

export type TriggerUse = { ok: true; user: string | undefined } | { ok: false; error: 'invalid_trigger_id' | 'exchanged_trigger_id' };

/** Slack's trigger_ids expire after 3 s: the newest few hundred are the ones in use. */
const KEPT = 500;

export class TriggerIds {
  readonly #byId = new Map<string, { user: string | undefined; used: boolean }>();

  /** A trigger_id handed out for an interaction by `user`. */
  mint(id: string, user: string): void {
    if (this.#byId.size > KEPT) for (const old of [...this.#byId.keys()].slice(0, this.#byId.size - KEPT)) this.#byId.delete(old);
    this.#byId.set(id, { user, used: false });
  }

  /** A views.* call uses `id` up: whose it was, or why it cannot be used. An id never minted is taken once, unless `mintedOnly`. */
  use(id: string, mintedOnly: boolean): TriggerUse {
    const known = this.#byId.get(id);
    if (known === undefined && mintedOnly) return { ok: false, error: 'invalid_trigger_id' };
    if (known?.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (known === undefined) this.#byId.set(id, { user: undefined, used: true });
    else known.used = true;
    return { ok: true, user: known?.user };
  }

  clear(): void {
    this.#byId.clear();
  }
}
