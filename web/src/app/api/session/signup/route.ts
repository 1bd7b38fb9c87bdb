import type { NextRequest } from 'next/server';
import { SignUpDocument } from '../../../../graphql/generated';
import { callGateway, grantResponse, sessionRoute, stringField } from '../session-route';

/** Creates an account and starts a session: the refresh token goes into the httpOnly cookie. */
export function POST(request: NextRequest) {
  return sessionRoute(request, async (body, requestId) => {
    const { signUp } = await callGateway(
      request,
      SignUpDocument,
      {
        email: stringField(body, 'email', requestId),
        password: stringField(body, 'password', requestId),
        name: stringField(body, 'name', requestId),
      },
      { requestId },
    );
    return grantResponse(request, signUp, signUp.user, signUp.refreshToken);
  });
}
