'use client';

import Link from 'next/link';
import { useState } from 'react';
import { limitsText, spentText } from './budget-model';
import styles from './budgets.module.css';
import { useBudgets } from './budgets-settings';

/**
 * On every page of the workspace: a budget that stopped work, or nears its limit, says so until
 * the person dismisses it (a new period or standing shows it again).
 */
export function BudgetAlerts({ workspaceId }: { workspaceId: string }) {
  const budgets = useBudgets(workspaceId);
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const alerts = (budgets.data?.budgets ?? [])
    .filter((budget) => budget.standing === 'EXCEEDED' || budget.standing === 'WARNING')
    .map((budget) => ({ budget, key: `${budget.id}:${budget.periodKey}:${budget.standing}` }))
    .filter(({ key }) => !dismissed.has(key));
  if (alerts.length === 0) {
    return null;
  }
  return (
    <div className={styles.alerts} aria-label="Budget alerts" role="region">
      {alerts.map(({ budget, key }) => {
        const stopped = budget.standing === 'EXCEEDED';
        return (
          <div
            key={key}
            role={stopped ? 'alert' : 'status'}
            className={`${styles.alert} ${styles[stopped ? 'tone-danger' : 'tone-warn']}`}
          >
            <p>
              <strong>
                {stopped
                  ? `Budget “${budget.name}” reached: work is stopped.`
                  : `Budget “${budget.name}” is nearly spent.`}
              </strong>{' '}
              Spent {spentText(budget)} of {limitsText(budget)}.
            </p>
            <span className={styles.actions}>
              <Link href={`/w/${workspaceId}/settings/budgets`}>Review budgets</Link>
              <button
                type="button"
                className="button"
                aria-label={`Dismiss the alert about ${budget.name}`}
                onClick={() => setDismissed((current) => new Set(current).add(key))}
              >
                Dismiss
              </button>
            </span>
          </div>
        );
      })}
    </div>
  );
}
