import type { NextRequest } from 'next/server';
import { ApiError } from '../../../../lib/api/api-error';
import { SwitchWorkspaceDocument } from '../../../../graphql/generated';
import {
  bearerOf,
  callGateway,
  errorResponse,
  grantResponse,
  sessionRoute,
  stringField,
} from '../session-route';

/** An access token acting in another of the caller's workspaces; the session remembers it. */
export function POST(request: NextRequest) {
  return sessionRoute(request, async (body, requestId) => {
    const token = bearerOf(request);
    if (!token) {
      return errorResponse(
        new ApiError('UNAUTHENTICATED', 'Not logged in', requestId, false),
        requestId,
      );
    }
    const { switchWorkspace } = await callGateway(
      request,
      SwitchWorkspaceDocument,
      { workspaceId: stringField(body, 'workspaceId', requestId) },
      { requestId, token },
    );
    return grantResponse(request, switchWorkspace, null);
  });
}
