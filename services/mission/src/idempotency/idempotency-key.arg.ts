import { Args } from '@nestjs/graphql';

/**
 * The optional `idempotencyKey` of an agent write: retried with the same key and input, the write
 * answers as the first time and is not done again; another input under the key is CONFLICT.
 */
export const IdempotencyKeyArg = () =>
  Args('idempotencyKey', {
    type: () => String,
    nullable: true,
    description:
      '8–200 printable characters (a UUID is a good key), kept for 24 h: a retry with the same ' +
      'key and input answers as the first call and changes nothing; another input is CONFLICT.',
  });
