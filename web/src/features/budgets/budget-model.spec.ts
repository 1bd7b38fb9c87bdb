import {
  draftOf,
  emptyDraft,
  inputOf,
  limitsText,
  resetText,
  spentText,
  touchesBudgets,
  usedPercent,
  type BudgetView,
} from './budget-model';

const budget: BudgetView = {
  id: 'b-1',
  agentId: null,
  name: 'Workspace',
  period: 'DAY',
  tokenLimit: 2_000_000,
  costLimitUsd: 25,
  warnPercent: 80,
  periodKey: '2026-12-07',
  periodEndsAt: '2026-12-08T00:00:00.000Z',
  spentTokens: 500_000,
  spentUsd: 20,
  standing: 'WARNING',
  updatedAt: '2026-12-07T10:00:00.000Z',
};

describe('budget model', () => {
  it('says the limits and what was spent in their units', () => {
    expect(limitsText(budget)).toBe('$25.00 / 2M tokens per day');
    expect(limitsText({ ...budget, tokenLimit: null, period: 'TOTAL' })).toBe('$25.00 in total');
    expect(spentText(budget)).toBe('$20.00 · 500K tokens');
  });

  it('measures use against the tighter limit, a zero limit being full', () => {
    expect(usedPercent(budget)).toBe(80);
    expect(usedPercent({ ...budget, costLimitUsd: null })).toBe(25);
    expect(usedPercent({ ...budget, tokenLimit: 0 })).toBe(100);
  });

  it('says when the period starts again', () => {
    const now = Date.parse('2026-12-07T19:30:00.000Z');
    expect(resetText(budget.periodEndsAt, now)).toBe('Resets in 5 h');
    expect(resetText('2027-01-01T00:00:00.000Z', now)).toBe('Resets on 1 Jan');
    expect(resetText(null, now)).toBe('Never resets');
  });

  it('turns a draft into the input, or names what to fix', () => {
    expect(inputOf({ ...emptyDraft, name: ' Scout ', costLimitUsd: '12.5' }, null)).toEqual({
      input: {
        budgetId: null,
        name: 'Scout',
        agentId: null,
        period: 'MONTH',
        costLimitUsd: 12.5,
        tokenLimit: null,
        warnPercent: 80,
      },
    });
    expect(inputOf({ ...emptyDraft, name: 'x' }, null)).toEqual({
      problem: 'Set a money limit, a token limit or both.',
    });
    expect(inputOf({ ...emptyDraft, name: 'x', tokenLimit: '1.5' }, null)).toEqual({
      problem: 'The token limit is a whole number, 0 or more.',
    });
    expect(inputOf({ ...emptyDraft, name: 'x', costLimitUsd: '-3' }, null)).toEqual({
      problem: 'The money limit is an amount of US dollars, 0 or more.',
    });
    expect(inputOf({ ...emptyDraft, name: 'x', tokenLimit: '5', warnPercent: '0' }, null)).toEqual({
      problem: 'Warn at a share between 1 and 100 %.',
    });
    expect(inputOf(draftOf(budget), budget.id)).toMatchObject({
      input: { budgetId: 'b-1', costLimitUsd: 25, tokenLimit: 2_000_000, period: 'DAY' },
    });
  });

  it('is refreshed by budget events and by usage reports only', () => {
    expect(touchesBudgets('mission.v1.BudgetExceeded')).toBe(true);
    expect(touchesBudgets('mission.v1.RunUsageReported')).toBe(true);
    expect(touchesBudgets('mission.v1.MissionMoved')).toBe(false);
  });
});
