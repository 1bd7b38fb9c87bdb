import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SearchView } from '../../../../features/search/search-view';

export const metadata: Metadata = { title: 'Search' };

export default async function SearchPage(props: PageProps<'/w/[workspaceId]/search'>) {
  const { workspaceId } = await props.params;
  return (
    <Suspense fallback={<p aria-busy="true">Loading…</p>}>
      <SearchView workspaceId={workspaceId} />
    </Suspense>
  );
}
