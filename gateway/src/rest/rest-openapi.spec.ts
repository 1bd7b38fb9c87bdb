import { compileErrors, validate } from '@readme/openapi-parser';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import {
  buildASTSchema,
  type EnumTypeDefinitionNode,
  Kind,
  parse,
  validate as validateGraphql,
} from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIV3_1 } from 'openapi-types';
import { restOpenApiDocument } from './rest-openapi';
import { RestController } from './rest.controller';
import { REST_BASE_PATH, type RestInput, type RestRoute } from './rest-route';
import { restRoutes } from './rest.routes';
import { REST_ENUMS } from './rest-schemas';

const supergraph = parse(
  readFileSync(path.resolve(__dirname, '..', '..', 'supergraph.graphql'), 'utf8'),
);

/** Any input at all: the spec reads the documents routes send, whatever their variables. */
const anyInput: unknown = new Proxy(() => undefined, {
  get: (_target, key) => (key === 'map' ? () => [] : anyInput),
});

const principals: Principal[] = [
  { kind: 'agent', subject: 'a1', workspaceId: 'w1', role: 'agent_operator', scopes: null },
  { kind: 'user', subject: 'u1', workspaceId: 'w1', role: 'admin', scopes: null },
];

describe('the OpenAPI document of REST v1', () => {
  const document = restOpenApiDocument();

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(document) as OpenAPIV3_1.Document);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(document.openapi).toBe('3.1.0');
  });

  it('documents exactly the routes the gateway serves', () => {
    const served = Object.getOwnPropertyNames(RestController.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => {
        const handler = (RestController.prototype as unknown as Record<string, object>)[name]!;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const at = Reflect.getMetadata(PATH_METADATA, handler) as string;
        return `${RequestMethod[method]} /${at.replace(/:(\w+)/g, '{$1}')}`;
      })
      .sort();
    const documented = Object.entries(document.paths ?? {})
      .flatMap(([at, item]) =>
        ['get', 'post'].filter((m) => m in (item ?? {})).map((m) => `${m.toUpperCase()} ${at}`),
      )
      .sort();
    expect(served).toEqual(documented);
    expect(document.servers).toEqual([{ url: REST_BASE_PATH }]);
  });

  it('names the Idempotency-Key header on every route whose operation takes a key', () => {
    for (const route of Object.values(restRoutes)) {
      const operation = document.paths?.[route.path]?.[route.method];
      const headers = (operation?.parameters ?? []).filter(
        (p) => 'in' in p && p.in === 'header' && p.name === 'Idempotency-Key',
      );
      expect({ route: route.operationId, header: headers.length }).toEqual({
        route: route.operationId,
        header: route.idempotent ? 1 : 0,
      });
    }
  });
});

describe('the routes against the supergraph', () => {
  const schema = buildASTSchema(supergraph, { assumeValidSDL: true });

  it.each(Object.values(restRoutes).map((route) => [route.operationId, route] as const))(
    '%s sends a valid operation of the graph',
    (_name, route: RestRoute) => {
      for (const principal of principals) {
        const operation = route.operation(anyInput as RestInput<never, never, never>, principal);
        if (operation) {
          const errors = validateGraphql(schema, parse(operation.query)).map((e) => e.message);
          expect(errors).toEqual([]);
          if (route.idempotent) {
            expect(operation.query).toContain('idempotencyKey: $idempotencyKey');
          }
        }
      }
    },
  );

  it('holds every enum to the graph’s values', () => {
    const graphEnums = new Map(
      supergraph.definitions
        .filter((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION)
        .map((d) => [d.name.value, (d.values ?? []).map((v) => v.name.value)]),
    );
    for (const [name, schemaOfEnum] of Object.entries(REST_ENUMS)) {
      expect({ name, values: schemaOfEnum.options }).toEqual({
        name,
        values: graphEnums.get(name),
      });
    }
  });
});
