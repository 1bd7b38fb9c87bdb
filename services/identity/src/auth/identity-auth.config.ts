/** The slice of the service configuration the sign-in flows need. */
export type AuthSettings = {
  refreshTokenTtlDays: number;
  invitationTtlHours: number;
  loginMaxAttemptsPerAccount: number;
  loginMaxAttemptsPerIp: number;
  loginWindowSeconds: number;
};

export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');
