import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import type { GraphClient } from './graph-client';

export type Operation = {
  kind: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
};

/** The composed graph as clients see it, from the gateway's introspection (off in production). */
export async function composedSchema(graph: GraphClient): Promise<GraphQLSchema> {
  return buildClientSchema(await graph.ok<IntrospectionQuery>(getIntrospectionQuery()));
}

/** Every root query and mutation field of the composed graph: new fields show up by themselves. */
export function operations(schema: GraphQLSchema): Operation[] {
  const of = (kind: Operation['kind']) =>
    Object.values(
      (kind === 'query' ? schema.getQueryType() : schema.getMutationType())?.getFields() ?? {},
    )
      .filter((field) => !field.name.startsWith('_'))
      .map((field) => ({ kind, field }));
  return [...of('query'), ...of('mutation')];
}

/** Arguments that point at a record: `id`, `workspaceId`, `userId`, `apiKeyId`… */
export const targetArgs = (field: GraphQLField<unknown, unknown>): GraphQLArgument[] =>
  field.args.filter((arg) => arg.name === 'id' || arg.name.endsWith('Id'));

/** `query ($a: T!) { field(a: $a) { __typename } }` for one root field. */
export function documentFor(operation: Operation): string {
  const { field, kind } = operation;
  const declared = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind}${declared ? ` (${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
}

/** A harmless valid value for an argument that does not point at a record. */
export function plainValue(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) {
    return plainValue(type.ofType, name);
  }
  if (isListType(type)) {
    return [plainValue(type.ofType, name)];
  }
  if (isEnumType(type)) {
    // The least privileged choice the enum offers.
    const values = type.getValues().map((value) => value.name);
    return values.includes('VIEWER')
      ? 'VIEWER'
      : values.includes('VIEW_ANALYTICS')
        ? 'VIEW_ANALYTICS'
        : values[0];
  }
  if (isInputObjectType(type)) {
    // Only what the input requires: the smallest valid value.
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, plainValue(field.type, field.name)]),
    );
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTime':
        // A valid range for `from`/`to` pairs: the last day.
        return new Date(Date.now() - (name === 'from' ? 86_400_000 : 0)).toISOString();
      default:
        return name.toLowerCase().includes('email') ? `probe-${Date.now()}@example.com` : 'probe';
    }
  }
  throw new Error(`no plain value for argument ${name}: ${String(type)} (teach schema-walk.ts)`);
}
