// The name of the lease the depth poller holds: one replica polls, and the work that must run on that
// replica only (stored monitors, post-replay watches) checks who holds it. A name, nothing else.

export const POLLER_LEASE = 'poller';
