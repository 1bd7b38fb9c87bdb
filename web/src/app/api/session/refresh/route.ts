import { type NextRequest, NextResponse } from 'next/server';
import { ApiError } from '../../../../lib/api/api-error';
import { workspaceOfToken } from '../../../../lib/session/access-token-claims';
import { RefreshSessionDocument, SwitchWorkspaceDocument } from '../../../../graphql/generated';
import {
  callGateway,
  clearRefreshCookie,
  errorResponse,
  grantResponse,
  REFRESH_COOKIE,
  sessionRoute,
} from '../session-route';

/**
 * Rotates the refresh token in the cookie. With `workspaceId`, the new access token acts there:
 * one session serves every tab, and the session's workspace is whichever tab switched last.
 */
export function POST(request: NextRequest) {
  return sessionRoute(request, async (body, requestId) => {
    const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;
    // Not logged in is an answer, not an error: every anonymous page load asks.
    if (!refreshToken) {
      return NextResponse.json(null, { headers: { 'cache-control': 'no-store' } });
    }
    let refreshed;
    try {
      ({ refreshSession: refreshed } = await callGateway(
        request,
        RefreshSessionDocument,
        { refreshToken },
        { requestId },
      ));
    } catch (error) {
      const response = errorResponse(error, requestId);
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
        clearRefreshCookie(request, response);
      }
      return response;
    }
    const wanted = typeof body.workspaceId === 'string' ? body.workspaceId : null;
    let token: { accessToken: string; accessTokenExpiresAt: string } = refreshed;
    if (wanted && workspaceOfToken(refreshed.accessToken) !== wanted) {
      try {
        ({ switchWorkspace: token } = await callGateway(
          request,
          SwitchWorkspaceDocument,
          { workspaceId: wanted },
          { requestId, token: refreshed.accessToken },
        ));
      } catch {
        // Not a member (any more): hand back the session as it is; the page says why.
      }
    }
    return grantResponse(request, token, refreshed.user, refreshed.refreshToken);
  });
}
