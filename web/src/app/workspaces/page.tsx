import type { Metadata } from 'next';
import { WorkspacePicker } from '../../features/workspaces/workspace-picker';

export const metadata: Metadata = { title: 'Workspaces' };

export default function WorkspacesPage() {
  return <WorkspacePicker />;
}
