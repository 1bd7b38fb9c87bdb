import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, type Member } from '../support/identity-world';
import {
  composedSchema,
  documentFor,
  operations,
  plainValue,
  type Operation,
} from '../support/schema-walk';
import { SquadWorld } from '../support/squad-world';
import { startStack, type Stack } from '@mission-control/testing';

/**
 * Malformed input through the gateway, for every query and mutation that takes arguments, as an
 * admin and as nobody: no answer may be a 5xx, and every error must carry a P5 code other than
 * INTERNAL_ERROR (a client's mistake is never our failure) and this request's id. Seeded, so a
 * failure replays with FUZZ_SEED=<seed>; bounded by CASES_PER_OPERATION so it stays under a minute.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const CASES_PER_OPERATION = 12;
const CLIENT_CODES = new Set([
  'VALIDATION_ERROR',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'LIMIT_EXCEEDED',
]);

/** mulberry32: small, fast and the same sequence for the same seed on every machine. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!,
  };
}

const CONTROL_TEXT = [
  'evil\u202Egpj.exe',
  '\u001b[31mred\u001b[0m',
  'nul\u0000byte',
  'bell\u0007',
  'c1\u009b31m',
  '\u2066isolate\u2069',
  'line\r\noverwrite\rX',
];
const MALFORMED_IDS = [
  'xyz',
  '',
  ' ',
  "1' OR '1'='1",
  '../../etc/passwd',
  '00000000-0000-0000-0000-00000000000g',
  `${randomUUID()}-extra`,
  '%00',
  '{"$ne":null}',
  'ws-1',
];

const deepList = (depth: number): unknown => (depth === 0 ? 'x' : [deepList(depth - 1)]);
const deepObject = (depth: number): unknown =>
  depth === 0 ? 'x' : { nested: deepObject(depth - 1) };

/** A value of the wrong GraphQL type for `type`. */
function wrongType(type: GraphQLInputType, random: ReturnType<typeof prng>): unknown {
  const named = getNamedType(type);
  if (isListType(isNonNullType(type) ? type.ofType : type)) {
    return random.pick([{ not: 'a list' }, 42, 'text']);
  }
  if (isInputObjectType(named)) {
    return random.pick(['text', 7, [1, 2], { unknownField: true }]);
  }
  if (isEnumType(named)) {
    return random.pick(['NOT_A_VALUE', 'admin', 3, '']);
  }
  if (isScalarType(named)) {
    switch (named.name) {
      case 'Int':
      case 'Float':
        return random.pick(['12', 1e308, 2 ** 53, -1, 1.5, { n: 1 }, Number.MAX_SAFE_INTEGER]);
      case 'Boolean':
        return random.pick(['true', 1, {}]);
      case 'DateTime':
        return random.pick(['yesterday', '2026-13-45T99:00:00Z', 1_700_000_000_000, '']);
      default:
        return random.pick([42, true, { a: 1 }, ['a'], 1.5]);
    }
  }
  return null;
}

type Outcome = {
  label: string;
  status: number;
  requestId: string | null;
  problems: string[];
};

describe('fuzzing every operation with malformed input through the gateway', () => {
  let stack: Stack;
  let graph: GraphClient;
  let admin: Member;
  const own: Record<string, string> = {};
  const foreign: string[] = [];
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    // The stack's processes inherit this environment: budgets that let every case reach the graph
    // (the limits have their own specs; here a LIMIT_EXCEEDED would only hide what lies behind).
    process.env.RATE_LIMIT_ANONYMOUS_PER_MINUTE = '100000';
    process.env.RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE = '100000';
    stack = await startStack();
    graph = new GraphClient(stack.gatewayUrl);
    const world = new IdentityWorld(graph);
    const squads = new SquadWorld(graph);
    admin = await world.workspace(`fuzz-${Date.now()}`);
    own.workspaceId = admin.workspaceId;
    own.agentId = (await squads.agent(admin, 'fuzz-scout')).id;
    own.missionId = (await squads.mission(admin, 'fuzz target')).id;
    own.userId = admin.userId;
    own.apiKeyId = (await world.apiKey(admin)).id;
    const other = await world.workspace(`fuzz-other-${Date.now()}`);
    foreign.push(
      other.workspaceId,
      other.userId,
      (await squads.agent(other, 'other-scout')).id,
      (await squads.mission(other, 'other target')).id,
    );
  });
  afterAll(() => stack?.stop());

  /** Sends one raw HTTP request and checks the answer against the error model. */
  async function send(
    label: string,
    init: { method?: string; body?: string; headers?: Record<string, string>; search?: string },
  ): Promise<void> {
    const response = await fetch(`${stack.gatewayUrl}/graphql${init.search ?? ''}`, {
      method: init.method ?? 'POST',
      headers: init.headers ?? { 'content-type': 'application/json' },
      body: init.body,
    });
    const requestId = response.headers.get('x-request-id');
    const problems: string[] = [];
    if (response.status >= 500) {
      problems.push(`HTTP ${response.status}`);
    }
    if (!requestId) {
      problems.push('no x-request-id header');
    }
    if (response.headers.get('x-content-type-options') !== 'nosniff') {
      problems.push('no nosniff');
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      problems.push(`not JSON: ${text.slice(0, 120)}`);
    }
    const results = Array.isArray(body) ? body : [body];
    for (const result of results) {
      const errors = (result as { errors?: unknown } | null)?.errors;
      if (response.status >= 400 && !Array.isArray(errors)) {
        problems.push(`HTTP ${response.status} without GraphQL errors: ${text.slice(0, 200)}`);
      }
      for (const error of Array.isArray(errors) ? errors : []) {
        const { message, extensions } = error as {
          message?: unknown;
          extensions?: { code?: unknown; requestId?: unknown };
        };
        if (typeof extensions?.code !== 'string' || !CLIENT_CODES.has(extensions.code)) {
          problems.push(`code ${String(extensions?.code)}: ${String(message)}`);
        }
        if (!extensions?.requestId || extensions.requestId !== requestId) {
          problems.push(`error requestId ${String(extensions?.requestId)} ≠ header ${requestId}`);
        }
      }
    }
    outcomes.push({ label, status: response.status, requestId, problems });
  }

  const json = (payload: unknown, token?: string) => ({
    body: JSON.stringify(payload),
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });

  /** A valid value for an argument: the caller's own records for ids, harmless values else. */
  function baseValue(argument: GraphQLArgument): unknown {
    if (getNamedType(argument.type).name === 'ID' || argument.name.endsWith('Id')) {
      return own[argument.name] ?? own.missionId;
    }
    return plainValue(argument.type, argument.name);
  }

  function malformed(
    argument: GraphQLArgument,
    random: ReturnType<typeof prng>,
  ): { value?: unknown; omit?: boolean } {
    const isId = getNamedType(argument.type).name === 'ID' || argument.name.endsWith('Id');
    const isText = getNamedType(argument.type).name === 'String';
    const strategies = [
      'wrong-type',
      'null',
      'missing',
      'deep',
      ...(isId ? ['malformed-id', 'malformed-id', 'foreign-id', 'foreign-id'] : []),
      ...(isText || isId ? ['control', 'huge'] : []),
      ...(isInputObjectType(getNamedType(argument.type)) ? ['input-fields', 'input-fields'] : []),
    ];
    switch (random.pick(strategies)) {
      case 'wrong-type':
        return { value: wrongType(argument.type, random) };
      case 'null':
        return { value: null };
      case 'missing':
        return { omit: true };
      case 'deep':
        return { value: random.pick([deepList(60), deepObject(60)]) };
      case 'malformed-id':
        return { value: random.pick(MALFORMED_IDS) };
      case 'foreign-id':
        return { value: random.pick(foreign) };
      case 'control':
        return { value: random.pick(CONTROL_TEXT) };
      case 'huge':
        return { value: 'x'.repeat(random.pick([300, 5_000, 60_000])) };
      default: {
        // Every field of the input given something odd: control text, wrong types, huge text.
        const type = getNamedType(argument.type);
        if (!isInputObjectType(type)) {
          return { value: null };
        }
        return {
          value: Object.fromEntries(
            Object.values(type.getFields()).map((field) => [
              field.name,
              random.pick([
                random.pick(CONTROL_TEXT),
                wrongType(field.type, random),
                'y'.repeat(random.pick([201, 20_001])),
                plainValue(field.type, field.name),
                [random.pick(CONTROL_TEXT)],
              ]),
            ]),
          ),
        };
      }
    }
  }

  it('finds no 5xx, no uncoded or internal error and no missing request id', async () => {
    const random = prng(SEED);
    const callers = [
      { who: 'admin', token: admin.workspaceToken as string | undefined },
      { who: 'anonymous', token: undefined },
    ];
    const targets: Operation[] = operations(await composedSchema(graph)).filter(
      (operation) => operation.field.args.length > 0,
    );
    expect(targets.length).toBeGreaterThan(20);

    for (const operation of targets) {
      const query = documentFor(operation);
      for (const { who, token } of callers) {
        for (let round = 0; round < CASES_PER_OPERATION; round += 1) {
          const variables: Record<string, unknown> = Object.fromEntries(
            operation.field.args.map((argument) => [argument.name, baseValue(argument)]),
          );
          // One to all of the arguments go bad at once.
          const spoilt = operation.field.args.filter(
            (_argument, index) =>
              index === round % operation.field.args.length || random.int(3) === 0,
          );
          for (const argument of spoilt) {
            const { value, omit } = malformed(argument, random);
            if (omit) {
              delete variables[argument.name];
            } else {
              variables[argument.name] = value;
            }
          }
          await send(
            `${operation.field.name} as ${who} #${round}`,
            json({ query, variables }, token),
          );
        }
      }
    }

    // The request itself malformed: body, framing, operation selection, document shape.
    const q = '{ __typename }';
    const raw: [string, Parameters<typeof send>[1]][] = [
      [
        'bad JSON',
        { body: '{"query": "{ __typename }"', headers: { 'content-type': 'application/json' } },
      ],
      ['JSON null', { body: 'null', headers: { 'content-type': 'application/json' } }],
      [
        'JSON string',
        { body: '"{ __typename }"', headers: { 'content-type': 'application/json' } },
      ],
      ['JSON number', json(42)],
      ['empty object', json({})],
      ['empty batch', json([])],
      ['batch of garbage', json([1, 'x', null, { query: 5 }])],
      ['batch over the limit', json(Array.from({ length: 11 }, () => ({ query: q })))],
      ['query not a string', json({ query: { a: 1 } })],
      ['query an array', json({ query: [q] })],
      ['variables a string', json({ query: q, variables: 'x' })],
      ['variables an array', json({ query: q, variables: [1] })],
      ['operationName a number', json({ query: q, operationName: 7 })],
      ['two operations, no name', json({ query: 'query A { __typename } query B { __typename }' })],
      ['unknown operationName', json({ query: 'query A { __typename }', operationName: 'B' })],
      ['only a fragment', json({ query: 'fragment F on Query { __typename }' })],
      [
        'fragment cycle',
        json({ query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }),
      ],
      ['bad directive argument', json({ query: '{ __typename @skip(if: "yes") }' })],
      ['unknown directive', json({ query: '{ __typename @pwn }' })],
      ['subscription', json({ query: 'subscription { __typename }' })],
      ['depth 200', json({ query: `{ ${'a { '.repeat(200)}b${' }'.repeat(200)} }` })],
      ['unbalanced braces', json({ query: '{'.repeat(5_000) })],
      ['token flood', json({ query: `{ ${'__typename '.repeat(20_000)} }` })],
      [
        'alias flood',
        json({
          query: `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
        }),
      ],
      [
        'deep introspection',
        json({
          query: `{ __schema { types { ${'fields { type { ofType { '.repeat(8)}name${' } } }'.repeat(8)} } } }`,
        }),
      ],
      [
        'variables with __proto__',
        {
          body: `{"query":"query ($w: ID!) { agents(workspaceId: $w) { id } }","variables":{"__proto__":{"w":"x"},"constructor":{"prototype":{"polluted":true}}}}`,
          headers: { 'content-type': 'application/json' },
        },
      ],
      [
        'persisted query garbage',
        json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } }),
      ],
      ['body over the limit', json({ query: `${q} #${'x'.repeat(150_000)}` })],
      [
        'latin1 charset',
        {
          body: JSON.stringify({ query: q }),
          headers: { 'content-type': 'application/json; charset=latin1' },
        },
      ],
      [
        'text/plain',
        { body: JSON.stringify({ query: q }), headers: { 'content-type': 'text/plain' } },
      ],
      [
        'form encoded',
        {
          body: 'query=%7B__typename%7D',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ],
      ['no content type', { body: JSON.stringify({ query: q }), headers: {} }],
      [
        'GET mutation',
        {
          method: 'GET',
          search: '?query=mutation%20%7B%20logOut(refreshToken%3A%22x%22)%20%7D',
          headers: { 'apollo-require-preflight': '1' },
        },
      ],
      [
        'GET without query',
        {
          method: 'GET',
          search: '?variables=%7B',
          headers: { 'apollo-require-preflight': '1', accept: 'application/json' },
        },
      ],
      [
        'GET bad variables',
        {
          method: 'GET',
          search: '?query=%7B__typename%7D&variables=%7Bnope',
          headers: { 'apollo-require-preflight': '1' },
        },
      ],
      [
        'PUT',
        {
          method: 'PUT',
          body: JSON.stringify({ query: q }),
          headers: { 'content-type': 'application/json' },
        },
      ],
      [
        'bad bearer',
        {
          ...json({ query: q }),
          headers: { 'content-type': 'application/json', authorization: 'Bearer \u00e9\u00e9' },
        },
      ],
      [
        'huge bearer',
        {
          ...json({ query: q }),
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${'a'.repeat(8_000)}`,
          },
        },
      ],
      [
        'bad request id',
        {
          ...json({ query: q }),
          headers: {
            'content-type': 'application/json',
            'x-request-id': '../\u0001'.replace('\u0001', '%01'),
          },
        },
      ],
    ];
    for (const [label, init] of raw) {
      await send(label, init);
    }

    const statuses: Record<number, number> = {};
    for (const outcome of outcomes) {
      statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
    }
    const failures = outcomes.filter((outcome) => outcome.problems.length > 0);
    // One line for the log: how much was tried and what came back.
    console.log(
      `fuzz seed=${SEED} requests=${outcomes.length} statuses=${JSON.stringify(statuses)} failures=${failures.length}`,
    );
    expect(
      failures.map(
        (failure) => `${failure.label} → ${failure.status}: ${failure.problems.join('; ')}`,
      ),
    ).toEqual([]);
  });
});
