#!/usr/bin/env node
// Fresh secrets for a Mission Control installation: the internal auth secret (gateway ↔ services),
// the client address secret (web server → gateway: the browser's address it vouches for) and the
// identity service's Ed25519 signing key as JSON {privateJwk, publicJwk, kid}.
//   node deploy/generate-secrets.mjs            KEY=value lines: deploy/.env for compose, or
//                                                kubectl create secret generic … --from-env-file
//   node deploy/generate-secrets.mjs --values   a Helm values file (secrets.*)
// Needs only Node: no checkout build, no dependencies.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function generateSecrets() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicJwk = publicKey.export({ format: 'jwk' });
  const privateJwk = privateKey.export({ format: 'jwk' });
  // RFC 7638 thumbprint: the required members in lexicographic order, no whitespace.
  const kid = createHash('sha256')
    .update(JSON.stringify({ crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x }))
    .digest('base64url');
  return {
    INTERNAL_AUTH_SECRET: randomBytes(32).toString('base64url'),
    CLIENT_ADDRESS_SECRET: randomBytes(32).toString('base64url'),
    IDENTITY_SIGNING_KEY: JSON.stringify({ privateJwk, publicJwk, kid }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const secrets = generateSecrets();
  if (process.argv.includes('--values')) {
    // JSON strings are valid YAML scalars.
    process.stdout.write(
      [
        'secrets:',
        `  internalAuthSecret: ${JSON.stringify(secrets.INTERNAL_AUTH_SECRET)}`,
        `  clientAddressSecret: ${JSON.stringify(secrets.CLIENT_ADDRESS_SECRET)}`,
        `  identitySigningKey: ${JSON.stringify(secrets.IDENTITY_SIGNING_KEY)}`,
        '',
      ].join('\n'),
    );
  } else {
    // Unquoted: compose's .env and kubectl's --from-env-file both take the rest of the line as is.
    for (const [key, value] of Object.entries(secrets)) {
      process.stdout.write(`${key}=${value}\n`);
    }
  }
}
