import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The container image ships the traced standalone server (deploy/docker/web.Dockerfile sets
  // NEXT_OUTPUT); `npm start` serves the regular build from inside its own server.
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  outputFileTracingRoot: new URL('..', import.meta.url).pathname,
};

export default config;
