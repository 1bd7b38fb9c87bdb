import type { AgentWakeHookViewFragment, Role, WakeDeliveryStatus } from '../../graphql/generated';

export type WakeDeliveryView = NonNullable<AgentWakeHookViewFragment['lastDelivery']>;

export const DELIVERY_NAMES: Record<WakeDeliveryStatus, string> = {
  PENDING: 'Sending',
  RETRYING: 'Retrying',
  DELIVERED: 'Delivered',
  FAILED: 'Failed',
};

/** Roles whose members may set and remove wake URLs (manage_agents). */
export const canManageAgents = (role: Role | null | undefined): boolean =>
  role === 'ADMIN' || role === 'AGENT_OPERATOR';

/** One line about the last delivery, for a person: what happened and what comes next. */
export function describeDelivery(delivery: WakeDeliveryView): string {
  const why = delivery.reason === 'ASSIGNED' ? 'a mission assigned to it' : 'a mission in To do';
  const tries = delivery.attempts === 1 ? '1 attempt' : `${delivery.attempts} attempts`;
  switch (delivery.status) {
    case 'PENDING':
      return `Waking it for ${why}…`;
    case 'DELIVERED':
      return `Woken for ${why}${delivery.statusCode ? ` (HTTP ${delivery.statusCode})` : ''}, after ${tries}.`;
    case 'RETRYING':
      return `Not answered yet (${delivery.error ?? 'no answer'}), ${tries} so far; trying again soon.`;
    case 'FAILED':
      return `Gave up after ${tries}: ${delivery.error ?? 'no answer'}.`;
    default:
      return delivery.status satisfies never;
  }
}

/** What is wrong with a URL before it is sent, or null; the server checks again. */
export function wakeUrlProblem(text: string): string | null {
  const url = text.trim();
  if (url === '') {
    return 'Enter the URL the agent listens on.';
  }
  if (url.length > 2_048) {
    return 'The URL is too long: at most 2,048 characters.';
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Enter a full URL, such as https://agents.example.com/wake.';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return 'The URL must start with https:// or http://.';
  }
  return null;
}

/** How soon to ask again for the last delivery: often while it is under way. */
export function refreshEveryMs(hook: AgentWakeHookViewFragment | null | undefined): number | false {
  if (!hook) {
    return false;
  }
  const status = hook.lastDelivery?.status;
  return status === 'PENDING' || status === 'RETRYING' ? 2_000 : 10_000;
}
