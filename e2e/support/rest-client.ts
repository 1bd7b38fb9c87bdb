import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenAPIV3_1 } from 'openapi-types';

export type Call = {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Sent as is, not as JSON. */
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
};

export type Answer<T> = { status: number; body: T; headers: Headers };

/**
 * REST v1 as a client sees it, holding every answer to the served OpenAPI document: its status is
 * one the operation documents, its body matches that response's schema, and it carries a request
 * id (the error body's own, when it is an error).
 */
export class RestClient {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly operations = new Map<string, { method: string; path: string }>();
  /** Every answer checked, by operation: the spec asserts each route was exercised. */
  readonly checked = new Map<string, Set<number>>();

  constructor(
    private readonly gatewayUrl: string,
    private readonly document: OpenAPIV3_1.Document,
  ) {
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi.json');
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of ['get', 'post'] as const) {
        const operation = item?.[method];
        if (operation?.operationId) {
          this.operations.set(operation.operationId, { method, path });
        }
      }
    }
  }

  /** A client held to the document the gateway at `gatewayUrl` serves. */
  static async of(
    gatewayUrl: string,
  ): Promise<{ rest: RestClient; document: OpenAPIV3_1.Document }> {
    const response = await fetch(`${gatewayUrl}/api/v1/openapi.json`);
    const document = (await response.json()) as OpenAPIV3_1.Document;
    return { rest: new RestClient(gatewayUrl, document), document };
  }

  get operationIds(): string[] {
    return [...this.operations.keys()];
  }

  async call<T = Record<string, unknown>>(
    operationId: string,
    call: Call = {},
  ): Promise<Answer<T>> {
    const operation = this.operations.get(operationId);
    if (!operation) {
      throw new Error(`the document has no operation ${operationId}`);
    }
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(call.params?.[name] ?? `missing-${name}`),
    );
    const search = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
    const response = await fetch(`${this.gatewayUrl}/api/v1${path}${search}`, {
      method: operation.method.toUpperCase(),
      headers: {
        ...(call.body !== undefined || call.rawBody !== undefined
          ? { 'content-type': 'application/json' }
          : {}),
        ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
        ...call.headers,
      },
      body: call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body)),
    });
    const body = (await response.json()) as T;
    this.check(operationId, operation, response, body);
    return { status: response.status, body, headers: response.headers };
  }

  /** The body against the document's schema of the error body, for answers of no operation. */
  checkError(body: unknown): void {
    const validateBody = this.ajv.getSchema('openapi.json#/components/schemas/Error');
    if (!validateBody?.(body)) {
      throw new Error(
        `not the documented error body: ${this.ajv.errorsText(validateBody?.errors)}`,
      );
    }
  }

  private check(
    operationId: string,
    operation: { method: string; path: string },
    response: Response,
    body: unknown,
  ): void {
    const pointer = `/paths/${operation.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${operation.method}/responses/${response.status}`;
    const documented = this.ajv.getSchema(
      `openapi.json#${pointer}/content/application~1json/schema`,
    );
    if (!documented) {
      throw new Error(
        `${operationId} answered ${response.status}, which the document does not list: ${JSON.stringify(body)}`,
      );
    }
    if (!documented(body)) {
      throw new Error(
        `${operationId} ${response.status} does not match the document: ` +
          `${this.ajv.errorsText(documented.errors)}\n${JSON.stringify(body)}`,
      );
    }
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    if (response.status >= 400) {
      expect((body as { error: { requestId: string } }).error.requestId).toBe(requestId);
    }
    const seen = this.checked.get(operationId) ?? new Set<number>();
    this.checked.set(operationId, seen.add(response.status));
  }
}
