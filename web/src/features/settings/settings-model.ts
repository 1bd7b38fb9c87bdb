import type { Permission, Role } from '../../graphql/generated';

export const ROLES: readonly Role[] = ['ADMIN', 'MISSION_COMMANDER', 'AGENT_OPERATOR', 'VIEWER'];

export const ROLE_NAMES: Record<Role, string> = {
  ADMIN: 'Admin',
  MISSION_COMMANDER: 'Mission commander',
  AGENT_OPERATOR: 'Agent operator',
  VIEWER: 'Viewer',
};

export const PERMISSIONS: readonly { value: Permission; label: string; hint: string }[] = [
  { value: 'CREATE_MISSIONS', label: 'Create missions', hint: 'Create, assign and move missions' },
  { value: 'MANAGE_AGENTS', label: 'Manage agents', hint: 'Register, activate and key agents' },
  { value: 'VIEW_ANALYTICS', label: 'View analytics', hint: 'Read charts and metrics' },
  { value: 'ADMIN_ACCESS', label: 'Admin access', hint: 'Members, invitations and keys' },
];

const PERMISSION_NAMES = Object.fromEntries(PERMISSIONS.map((p) => [p.value, p.label])) as Record<
  Permission,
  string
>;

export const permissionNames = (scopes: readonly Permission[]): string =>
  scopes.map((scope) => PERMISSION_NAMES[scope]).join(', ');

/** Where an invitation is accepted; the token travels only in this link. */
export const invitationLink = (origin: string, token: string): string =>
  `${origin}/invite/${encodeURIComponent(token)}`;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatDateTime = (iso: string | null | undefined): string =>
  iso ? dateTime.format(new Date(iso)) : '—';

type Membership = { role: Role; workspace: { id: string; name: string } };

/** The signed-in person's role in the workspace, or null once they are no longer a member. */
export const roleIn = (memberships: readonly Membership[], workspaceId: string): Role | null =>
  memberships.find((membership) => membership.workspace.id === workspaceId)?.role ?? null;
