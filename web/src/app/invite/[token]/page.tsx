import type { Metadata } from 'next';
import { AcceptInvitation } from '../../../features/settings/accept-invitation';

export const metadata: Metadata = { title: 'Invitation', referrer: 'no-referrer' };

export default async function InvitePage(props: PageProps<'/invite/[token]'>) {
  const { token } = await props.params;
  return <AcceptInvitation token={token} />;
}
