import Link from 'next/link';

export default function NotFound() {
  return (
    <main id="main" className="page">
      <h1>Page not found</h1>
      <p className="lead">There is nothing at this address.</p>
      <p>
        <Link href="/workspaces">Go to your workspaces</Link>
      </p>
    </main>
  );
}
