// Secrets for `npm start` on a developer machine: made once, kept in .data/dev-secrets.json (git
// ignored) so sessions survive restarts. Values already in the environment win. Production takes
// them from its secret store (see the Helm chart), never from here.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export async function devSecrets(root) {
  const file = path.join(root, '.data', 'dev-secrets.json');
  let secrets = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  if (!secrets) {
    // Built by `nx build` before this runs.
    const { generateSigningKey } = createRequire(import.meta.url)(
      path.join(root, 'libs/auth/dist/index.js'),
    );
    secrets = {
      INTERNAL_AUTH_SECRET: randomBytes(32).toString('base64url'),
      IDENTITY_SIGNING_KEY: JSON.stringify(await generateSigningKey()),
    };
  }
  // Web signs browser addresses with it for the gateway; added to a file made before it existed.
  if (!secrets.CLIENT_ADDRESS_SECRET) {
    secrets.CLIENT_ADDRESS_SECRET = randomBytes(32).toString('base64url');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return Object.fromEntries(
    Object.entries(secrets).map(([key, value]) => [key, process.env[key] ?? value]),
  );
}
