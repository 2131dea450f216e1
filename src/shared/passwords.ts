// Passwords: argon2id with OWASP's recommended cost (19 MiB, 2 passes, 1 lane; about 50 ms here).
// Checking a password for an unknown user still runs one verification, so a response's timing
// does not tell which emails exist.
import { hash, verify } from '@node-rs/argon2';

// `algorithm: 2` is Argon2id (the package's const enum cannot be imported under type stripping).
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

let decoy: Promise<string> | undefined;

/** True when `password` matches `stored`; with no stored hash, spends the same time and says false. */
export async function checkPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (stored === undefined) {
    decoy ??= hashPassword('turnpike-decoy-password');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
