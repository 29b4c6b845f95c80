// The sentence saying how much a reply left out because the user has no viewer role on some queues,
// without naming them. Pure text: Slack and the terminal put it where they show notes.

export const hiddenQueuesNote = (count: number): string | null =>
  count <= 0 ? null : `${count} queue${count === 1 ? '' : 's'} hidden: you have no viewer role on ${count === 1 ? 'it' : 'them'}.`;

export const hiddenRecordsNote = (count: number): string | null =>
  count <= 0 ? null : `${count} record${count === 1 ? '' : 's'} left out: about queues you have no viewer role on.`;
