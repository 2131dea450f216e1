// Where the jwt policy finds verification keys: a remote JWKS, shared by URL across snapshot
// recompiles so a new snapshot neither refetches nor forgets keys, or a fixed list from the config.
import {
  type CryptoKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type FlattenedJWSInput,
  type JWK,
  type JWSHeaderParameters,
} from 'jose';

/** Finds the key for a token's header; what jose's `jwtVerify` takes. */
export type KeySet = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** The key set could not be obtained: the URL did not answer, or not with a usable JWKS. */
export class KeySetUnavailable extends Error {
  override readonly name = 'KeySetUnavailable';
}

// jose refetches a set older than cacheMaxAge on the next token, and at most once per cooldown
// when a token names a kid the set lacks (an issuer rotating keys, or someone probing).
const remoteOptions = { cooldownDuration: 30_000, cacheMaxAge: 600_000, timeoutDuration: 5_000 };

// Few URLs exist at once; the bound only stops URLs of long-gone configs from piling up.
const maxRemoteSets = 64;
const remoteSets = new Map<string, KeySet>();

/** The key set at `url`, fetched lazily (never at compile time) and kept across recompiles. */
export function remoteKeySet(url: string): KeySet {
  const href = new URL(url).href;
  let keySet = remoteSets.get(href);
  if (keySet === undefined) {
    keySet = withFetchFailures(createRemoteJWKSet(new URL(href), remoteOptions));
    if (remoteSets.size >= maxRemoteSets) {
      const oldest = remoteSets.keys().next().value;
      if (oldest !== undefined) remoteSets.delete(oldest);
    }
    remoteSets.set(href, keySet);
  }
  return keySet;
}

export function localKeySet(keys: readonly JWK[]): KeySet {
  return createLocalJWKSet({ keys: [...keys] });
}

// A token that matches no key, several keys or no supported algorithm is the token's problem;
// anything else the remote set throws (network error, timeout, non-200, not a JWKS) is the set's.
function withFetchFailures(keySet: KeySet): KeySet {
  return async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported
      ) {
        throw error;
      }
      throw new KeySetUnavailable('the key set could not be fetched', { cause: error });
    }
  };
}
