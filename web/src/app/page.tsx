import { Landing } from '../features/auth/landing';

export default function HomePage() {
  return <Landing />;
}
