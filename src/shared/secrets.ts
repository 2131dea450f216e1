// Formats of the secrets Turnpike issues: API keys (`tp_live_…`, `tp_test_…`), admin tokens
// (`tpa_…`), OAuth client secrets (`tpc_…`), HTTP Basic passwords (`tpb_…`) and HMAC
// signing secrets (`tph_…`). Each ends in a CRC32 checksum, so a mistyped or made-up secret is rejected
// before any lookup, and secret scanners can recognise a leaked one.
import { crc32 } from 'node:zlib';
import { randomBase62, sha256Hex, toBase62 } from './crypto.ts';

const bodyLength = 30;
const checksumLength = 6;
const keyPattern = /^tp_(live|test)_[0-9A-Za-z]{36}$/;
const adminTokenPattern = /^tpa_[0-9A-Za-z]{36}$/;
const clientSecretPattern = /^tpc_[0-9A-Za-z]{36}$/;
const basicPasswordPattern = /^tpb_[0-9A-Za-z]{36}$/;

export type KeyEnvironment = 'live' | 'test';

/** Shown in listings so a person can tell keys apart without seeing them. */
export const keyPrefixLength = 12;

function withChecksum(prefix: string): string {
  const body = randomBase62(bodyLength);
  return `${prefix}${body}${toBase62(crc32(body), checksumLength)}`;
}

function checksumHolds(secret: string, prefixLength: number): boolean {
  const body = secret.slice(prefixLength, prefixLength + bodyLength);
  return secret.slice(prefixLength + bodyLength) === toBase62(crc32(body), checksumLength);
}

export function generateApiKey(environment: KeyEnvironment = 'live'): string {
  return withChecksum(`tp_${environment}_`);
}

/** Shape and checksum only: cheap enough to run on every gateway request before a lookup. */
export function isWellFormedApiKey(value: string): boolean {
  return value.length === 44 && keyPattern.test(value) && checksumHolds(value, 8);
}

export function generateAdminToken(): string {
  return withChecksum('tpa_');
}

export function isWellFormedAdminToken(value: string): boolean {
  return value.length === 40 && adminTokenPattern.test(value) && checksumHolds(value, 4);
}

/** An OAuth client secret (`tpc_…`); its client id is the application id. */
export function generateClientSecret(): string {
  return withChecksum('tpc_');
}

export function isWellFormedClientSecret(value: string): boolean {
  return value.length === 40 && clientSecretPattern.test(value) && checksumHolds(value, 4);
}

/** A password for HTTP Basic credentials (`tpb_…`): generated, never chosen, so SHA-256 suffices. */
export function generateBasicPassword(): string {
  return withChecksum('tpb_');
}

export function isWellFormedBasicPassword(value: string): boolean {
  return value.length === 40 && basicPasswordPattern.test(value) && checksumHolds(value, 4);
}

/**
 * An HMAC signing secret (`tph_…`). Unlike the others it is stored sealed, not hashed: the
 * gateway computes the same signature, so it needs the secret itself.
 */
export function generateHmacSecret(): string {
  return withChecksum('tph_');
}

export function isWellFormedHmacSecret(value: string): boolean {
  return value.length === 40 && /^tph_[0-9A-Za-z]{36}$/.test(value) && checksumHolds(value, 4);
}

export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}

export function keyPrefix(key: string): string {
  return key.slice(0, keyPrefixLength);
}
