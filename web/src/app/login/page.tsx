import type { Metadata } from 'next';
import { LoginForm } from '../../features/auth/login-form';

export const metadata: Metadata = { title: 'Log in' };

export default async function LoginPage(props: PageProps<'/login'>) {
  const { next } = await props.searchParams;
  return <LoginForm next={typeof next === 'string' ? next : null} />;
}
