import type { ExecutionContext } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import type { Principal } from '../principal';

// The source of truth: keyed by the request object itself, so nothing a client sends (a body
// merged into the request, a `principal` property set by some middleware) can pose as verified.
const verifiedPrincipals = new WeakMap<object, Principal | null>();

/** The express request behind an HTTP handler or a GraphQL resolver (whose context is `{ req }`). */
export function requestOf(context: ExecutionContext): unknown {
  const type = context.getType<GqlContextType>();
  switch (type) {
    case 'http':
      return context.switchToHttp().getRequest<unknown>();
    case 'graphql': {
      // Field resolvers get (root, args, context, info); federation's reference resolvers get
      // (reference, context, info). The context is the one holding the request ({ req }).
      const args = context.getArgs<unknown[]>();
      const graphqlContext = [args[2], args[1]].find(
        (candidate): candidate is { req: unknown } =>
          typeof candidate === 'object' && candidate !== null && 'req' in candidate,
      );
      return graphqlContext?.req;
    }
    case 'rpc':
    case 'ws':
      return undefined;
    default: {
      const unexpected: never = type;
      return unexpected;
    }
  }
}

export const isRequestObject = (request: unknown): request is object =>
  typeof request === 'object' && request !== null;

/** Whether the guard already looked at this request (a GraphQL operation runs it per root field). */
export function hasVerdict(request: object): boolean {
  return verifiedPrincipals.has(request);
}

/** Records the outcome of verifying the principal header; null when the request had none. */
export function rememberPrincipal(request: object, principal: Principal | null): void {
  verifiedPrincipals.set(request, principal);
  // `req.principal` mirrors the verdict for code that reads the request directly; a value set
  // before the guard ran is replaced, never trusted.
  Object.defineProperty(request, 'principal', {
    value: principal ?? undefined,
    writable: false,
    enumerable: false,
    configurable: true,
  });
}

/** The principal the guard verified for this request, if any. */
export function principalOf(request: unknown): Principal | undefined {
  if (!isRequestObject(request)) {
    return undefined;
  }
  return verifiedPrincipals.get(request) ?? undefined;
}
