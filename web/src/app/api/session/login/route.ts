import type { NextRequest } from 'next/server';
import { LogInDocument } from '../../../../graphql/generated';
import { callGateway, grantResponse, sessionRoute, stringField } from '../session-route';

export function POST(request: NextRequest) {
  return sessionRoute(request, async (body, requestId) => {
    const { logIn } = await callGateway(
      request,
      LogInDocument,
      {
        email: stringField(body, 'email', requestId),
        password: stringField(body, 'password', requestId),
      },
      { requestId },
    );
    return grantResponse(request, logIn, logIn.user, logIn.refreshToken);
  });
}
