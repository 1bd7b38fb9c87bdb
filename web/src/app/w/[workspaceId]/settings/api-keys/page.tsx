import type { Metadata } from 'next';
import { ApiKeysSettings } from '../../../../../features/settings/api-keys-settings';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage(props: PageProps<'/w/[workspaceId]/settings/api-keys'>) {
  const { workspaceId } = await props.params;
  return <ApiKeysSettings workspaceId={workspaceId} />;
}
