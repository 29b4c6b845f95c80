// The action_ids of the buttons on an incident's parent message, in one place for the renderer and
// the Bolt listeners. Button values: the queue name for Peek/Analyze/Redrive all, the incident id
// for Acknowledge.

export const INCIDENT_ACTIONS = {
  peek: 'incident_peek',
  analyze: 'incident_analyze',
  redriveAll: 'incident_redrive_all',
  acknowledge: 'incident_acknowledge',
} as const;
