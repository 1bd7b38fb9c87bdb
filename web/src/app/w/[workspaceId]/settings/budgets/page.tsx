import type { Metadata } from 'next';
import { BudgetsSettings } from '../../../../../features/budgets/budgets-settings';

export const metadata: Metadata = { title: 'Budgets' };

export default async function BudgetsPage(props: PageProps<'/w/[workspaceId]/settings/budgets'>) {
  const { workspaceId } = await props.params;
  return <BudgetsSettings workspaceId={workspaceId} />;
}
