import type { Metadata } from 'next';
import { SignUpForm } from '../../features/auth/signup-form';

export const metadata: Metadata = { title: 'Sign up' };

export default async function SignUpPage(props: PageProps<'/signup'>) {
  const { next } = await props.searchParams;
  return <SignUpForm next={typeof next === 'string' ? next : null} />;
}
