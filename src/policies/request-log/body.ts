// What a captured body becomes in the request log: its text, as UTF-8, with credentials redacted;
// or, for a compressed or binary body, whose text would be noise, a label saying what it was.
import { StringDecoder } from 'node:string_decoder';
import type { HeaderFields } from '../context.ts';
import { type Redactor, scrub, scrubCutEnd, stored } from './redact.ts';

/** Media types whose bodies are not text, beyond image/ (but SVG), audio/, video/ and font/. */
const binaryTypes = new Set([
  'application/octet-stream',
  'application/zip',
  'application/gzip',
  'application/pdf',
  'application/wasm',
  'application/grpc',
  'application/protobuf',
  'application/x-protobuf',
]);
const binaryFamilies = ['image/', 'audio/', 'video/', 'font/'];

/**
 * The log's text of a captured body (undefined: not captured), given its message's header fields;
 * `maxBytes` is where the capture stopped. A character cut in two at the end is left out.
 */
export function bodyText(
  bytes: Uint8Array | undefined,
  fields: HeaderFields,
  maxBytes: number,
  redactor: Redactor,
): string | null {
  if (bytes === undefined) return null;
  if (bytes.byteLength === 0) return '';
  const encoding = field(fields, 'content-encoding')?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity')
    return `[compressed: ${stored(encoding, 100)}]`;
  const type = mediaType(field(fields, 'content-type'));
  if (isBinary(type)) {
    const length = declaredLength(field(fields, 'content-length'));
    return `[binary: ${stored(type, 100)}${length === undefined ? '' : `, ${length} bytes`}]`;
  }
  const decoded = new StringDecoder('utf8').write(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  );
  let text = stored(decoded);
  if (type === 'application/x-www-form-urlencoded') text = redactor.form(text);
  text = scrub(text);
  // Scrubbed before the end is looked at: a secret whole at the end is `[redacted]` by now.
  if (bytes.byteLength >= maxBytes) text = scrubCutEnd(text);
  // Redaction can lengthen a body ("x" becomes "[redacted]"): keep within what was asked.
  return stored(text, maxBytes);
}

function field(fields: HeaderFields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  return typeof value === 'object' ? value.join(', ') : String(value);
}

/** The type/subtype of a Content-Type, lower-case, without parameters; "" when none. */
function mediaType(value: string | undefined): string {
  if (value === undefined) return '';
  const semicolon = value.indexOf(';');
  return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
}

function isBinary(type: string): boolean {
  if (binaryTypes.has(type) || type.startsWith('application/grpc+')) return true;
  if (type === 'image/svg+xml') return false;
  for (const family of binaryFamilies) if (type.startsWith(family)) return true;
  return false;
}

function declaredLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
