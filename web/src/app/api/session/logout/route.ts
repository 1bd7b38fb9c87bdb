import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { LogOutDocument } from '../../../../graphql/generated';
import { callGateway, clearRefreshCookie, REFRESH_COOKIE, sessionRoute } from '../session-route';

/** Ends the session server-side and forgets the cookie, even when identity cannot be reached. */
export function POST(request: NextRequest) {
  return sessionRoute(request, async (_body, requestId) => {
    const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;
    const response = NextResponse.json({ loggedOut: true });
    clearRefreshCookie(request, response);
    if (refreshToken) {
      try {
        await callGateway(request, LogOutDocument, { refreshToken }, { requestId });
      } catch (error) {
        console.warn(
          JSON.stringify({
            level: 'warn',
            msg: 'logout not confirmed by identity',
            requestId,
            err: String(error),
          }),
        );
      }
    }
    return response;
  });
}
