import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { randomUUID } from 'node:crypto';
import { type NextRequest, NextResponse } from 'next/server';
import { httpStatusOf } from '@mission-control/errors';
import { ApiError, type ApiErrorCode } from '../../../lib/api/api-error';
import { graphqlRequest } from '../../../lib/api/graphql-request';
import { runtimeConfig } from '../../../lib/config/runtime-config';
import { clientAddressHeaders } from './client-address';
import { workspaceOfToken } from '../../../lib/session/access-token-claims';
import type { SessionGrant, SessionUser } from '../../../lib/session/session-grant';

export const REFRESH_COOKIE = 'mc_refresh';
// Identity decides the real expiry; the cookie only has to outlive it.
const COOKIE_MAX_AGE_SECONDS = 30 * 86_400;

/** A session route's failure: the coded error and the request id, for the browser to show. */
export type SessionRouteError = {
  code: ApiErrorCode;
  message: string;
  requestId: string | null;
};

/** The API's own status for its code; a failure behind this route is the gateway's (502). */
const statusOf = (code: ApiErrorCode): number =>
  code === 'INTERNAL_ERROR' || code === 'NETWORK_ERROR' ? 502 : httpStatusOf(code);

/**
 * Runs an identity operation through the gateway for the browser behind `request`, tagged with
 * this request's id and vouching for the browser's address, so its login limits are its own.
 */
export async function callGateway<Result, Variables>(
  request: NextRequest,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  context: { requestId: string; token?: string | null },
): Promise<Result> {
  const config = runtimeConfig();
  const headers = await clientAddressHeaders(request.headers, config);
  return graphqlRequest(`${config.gatewayUrl}/graphql`, document, variables, {
    ...context,
    headers,
  });
}

/**
 * Handles a session route: refuses anything but a JSON POST (a cross-site form cannot send one
 * without a preflight), and turns failures into `{ error }` with the request id.
 */
export async function sessionRoute(
  request: NextRequest,
  handle: (body: Record<string, unknown>, requestId: string) => Promise<NextResponse>,
): Promise<NextResponse> {
  const requestId = randomUUID();
  if (!request.headers.get('content-type')?.startsWith('application/json')) {
    return errorResponse(
      new ApiError('VALIDATION_ERROR', 'Send JSON', requestId, false),
      requestId,
    );
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    body = null;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return errorResponse(
      new ApiError('VALIDATION_ERROR', 'Send a JSON object', requestId, false),
      requestId,
    );
  }
  try {
    return await handle(body as Record<string, unknown>, requestId);
  } catch (error) {
    return errorResponse(error, requestId);
  }
}

export function errorResponse(error: unknown, requestId: string): NextResponse {
  const coded =
    error instanceof ApiError
      ? error
      : new ApiError('INTERNAL_ERROR', 'Something went wrong', requestId, true);
  if (coded.code === 'INTERNAL_ERROR' || coded.code === 'NETWORK_ERROR') {
    // The browser only sees the id; this line is how an operator finds the cause.
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'session route failed',
        requestId: coded.requestId ?? requestId,
        code: coded.code,
        err: error instanceof Error ? error.message : String(error),
      }),
    );
  }
  const body: { error: SessionRouteError } = {
    error: {
      code: coded.code,
      message: coded.code === 'INTERNAL_ERROR' ? 'Something went wrong' : coded.message,
      requestId: coded.requestId ?? requestId,
    },
  };
  return NextResponse.json(body, { status: statusOf(coded.code) });
}

export function grantResponse(
  request: NextRequest,
  token: { accessToken: string; accessTokenExpiresAt: string },
  user: SessionUser | null,
  refreshToken?: string,
): NextResponse {
  const grant: SessionGrant = {
    accessToken: token.accessToken,
    accessTokenExpiresAt: token.accessTokenExpiresAt,
    workspaceId: workspaceOfToken(token.accessToken),
    user,
  };
  const response = NextResponse.json(grant, { headers: { 'cache-control': 'no-store' } });
  if (refreshToken !== undefined) {
    setRefreshCookie(request, response, refreshToken);
  }
  return response;
}

function isHttps(request: NextRequest): boolean {
  const forwarded = request.headers.get('x-forwarded-proto');
  return (forwarded ?? request.nextUrl.protocol.replace(':', '')) === 'https';
}

export function setRefreshCookie(request: NextRequest, response: NextResponse, value: string) {
  response.cookies.set(REFRESH_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure: isHttps(request),
    path: '/api/session',
    maxAge: COOKIE_MAX_AGE_SECONDS,
  });
}

export function clearRefreshCookie(request: NextRequest, response: NextResponse) {
  response.cookies.set(REFRESH_COOKIE, '', {
    httpOnly: true,
    sameSite: 'strict',
    secure: isHttps(request),
    path: '/api/session',
    maxAge: 0,
  });
}

export function stringField(
  body: Record<string, unknown>,
  field: string,
  requestId: string,
): string {
  const value = body[field];
  if (typeof value !== 'string') {
    throw new ApiError('VALIDATION_ERROR', `${field}: is required`, requestId, false, [
      { path: field, message: 'is required' },
    ]);
  }
  return value;
}

export function bearerOf(request: NextRequest): string | null {
  const header = request.headers.get('authorization');
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}
