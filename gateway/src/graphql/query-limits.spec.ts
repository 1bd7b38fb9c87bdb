import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { loadConfig } from '@mission-control/config';
import { gatewayConfigSchema } from '../gateway.config';
import { queryLimitRules } from './query-limits';

const schema = buildSchema(`
  type LogLine { position: Int! stream: String! text: String! }
  type LogPage { hasMore: Boolean! lines: [LogLine!]! }
  type Comment { id: ID! body: String! }
  type Mission { id: ID! comments(first: Int): [Comment!]! }
  type Run { id: ID! status: String! log(after: Int, first: Int): LogPage! }
  type Query { run(id: ID!): Run missions(first: Int): [Mission!]! }
`);

const costErrors = (query: string, maxCost: number) =>
  validate(schema, parse(query), [
    ...specifiedRules,
    ...queryLimitRules({ maxDepth: 12, maxAliases: 15, maxCost, maxDirectives: 50 }),
  ]).map((error) => error.extensions['details']);

describe('the query cost limit', () => {
  const { GRAPHQL_MAX_COST } = loadConfig(gatewayConfigSchema, {
    INTERNAL_AUTH_SECRET: 'x'.repeat(32),
  });

  it('serves a run’s log page at its documented largest with the default limit', () => {
    const page =
      '{ run(id: "r") { id status log(first: 1000) { hasMore lines { position stream text } } } }';
    expect(costErrors(page, GRAPHQL_MAX_COST)).toEqual([]);
  });

  it('refuses lists nested in lists, whose cost multiplies', () => {
    const nested = '{ missions(first: 100) { id comments(first: 100) { id body } } }';
    expect(costErrors(nested, GRAPHQL_MAX_COST)).toEqual([
      { limit: 'maxCost', max: GRAPHQL_MAX_COST },
    ]);
  });
});
