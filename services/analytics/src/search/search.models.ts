import {
  Field,
  Float,
  GraphQLISODateTime,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import { BoardColumnValue } from '../graphql/board-column.enum';
import type { SearchHitKind } from './search-query';
import { AnalyticsModule } from '../analytics.module';

export enum SearchHitKindValue {
  MISSION = 'mission',
  COMMENT = 'comment',
}
registerEnumType(SearchHitKindValue, {
  registerIn: () => AnalyticsModule,
  name: 'SearchHitKind',
  description: 'What a search hit is: a mission, or a comment on one.',
});

export const asHitKind = (value: SearchHitKindValue): SearchHitKind =>
  value satisfies SearchHitKind;
export const toHitKindValue = (kind: SearchHitKind): SearchHitKindValue =>
  kind as SearchHitKindValue;

@InputType({
  registerIn: () => AnalyticsModule,
  description: 'Every filter given must hold; a list matches any of its values.',
})
export class SearchFilters {
  @Field(() => [SearchHitKindValue], { nullable: true, description: 'Both kinds when left out.' })
  kinds?: SearchHitKindValue[] | null;

  @Field(() => [BoardColumnValue], {
    nullable: true,
    description: 'The column the mission is in (for a comment: its mission’s).',
  })
  columns?: BoardColumnValue[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Missions carrying any of these tags, and comments on them.',
  })
  tags?: string[] | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Missions assigned to this agent, and comments on them.',
  })
  agentId?: string | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Created (missions) or written (comments) at or after this time.',
  })
  from?: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Created (missions) or written (comments) before this time.',
  })
  to?: Date | null;
}

@ObjectType({
  registerIn: () => AnalyticsModule,
  description:
    'Where a hit matched: fragments wrap matches in <mark>…</mark>; the rest is the stored ' +
    'text, not HTML-escaped.',
})
export class SearchHighlight {
  @Field({ description: '`title`, `description`, `tags` or `body`.' })
  field!: string;

  @Field(() => [String])
  fragments!: string[];
}

@ObjectType({ registerIn: () => AnalyticsModule })
export class SearchHit {
  @Field(() => SearchHitKindValue)
  kind!: SearchHitKindValue;

  @Field(() => ID, { description: 'The mission, or the mission the comment is on.' })
  missionId!: string;

  @Field(() => ID, { nullable: true, description: 'Comments only.' })
  commentId!: string | null;

  @Field({ description: 'The mission’s title (for a comment: its mission’s).' })
  title!: string;

  @Field(() => BoardColumnValue, {
    nullable: true,
    description: 'The mission’s column (for a comment: its mission’s).',
  })
  column!: BoardColumnValue | null;

  @Field(() => Float, { description: 'Relevance; higher is better.' })
  score!: number;

  @Field(() => [SearchHighlight])
  highlights!: SearchHighlight[];
}

@ObjectType({ registerIn: () => AnalyticsModule })
export class SearchResults {
  @Field(() => Int, { description: 'Every match, not only those returned.' })
  total!: number;

  @Field(() => Int, { description: 'How long the search engine took.' })
  tookMs!: number;

  @Field(() => [SearchHit], { description: 'Best first.' })
  hits!: SearchHit[];
}
