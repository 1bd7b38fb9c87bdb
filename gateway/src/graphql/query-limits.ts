import { ApolloArmor } from '@escape.tech/graphql-armor';
import { AppError } from '@mission-control/errors';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import { codedGraphQLError } from './graphql-errors';

export type QueryLimits = {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxDirectives: number;
};

/**
 * Rejections become VALIDATION_ERROR naming the limit: the document itself is too big, so sending
 * it again cannot succeed (LIMIT_EXCEEDED is for rates, which a wait can cure).
 */
const rejectAs = (limit: keyof QueryLimits, max: number) => ({
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => {
      context?.reportError(
        codedGraphQLError(
          AppError.validation(error.message.replace(/^Syntax Error: /, ''), { limit, max }),
        ),
      );
    },
  ],
});

/**
 * Document limits checked at validation, before any subgraph is asked. Token count is bounded by
 * the parser itself (Apollo's `parseOptions.maxTokens`), which fails before a document is built.
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ...rejectAs('maxDepth', limits.maxDepth) },
    maxAliases: { n: limits.maxAliases, ...rejectAs('maxAliases', limits.maxAliases) },
    costLimit: { maxCost: limits.maxCost, ...rejectAs('maxCost', limits.maxCost) },
    maxDirectives: { n: limits.maxDirectives, ...rejectAs('maxDirectives', limits.maxDirectives) },
    maxTokens: { enabled: false },
    // Suggestions are masked by Apollo's hideSchemaDetailsFromClientErrors, set with introspection.
    blockFieldSuggestion: { enabled: false },
  });
  return armor.protect().validationRules;
}
