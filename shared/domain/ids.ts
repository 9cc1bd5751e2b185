/**
 * Deterministic ids: the same inputs always give the same id, which is what makes retries safe.
 * Node-only (node:crypto): modules the console imports must not depend on this one.
 */
import { createHash } from 'node:crypto';

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** `prefix_` + 26 base32 characters of SHA-256 over the parts (newline-separated). */
export function derivedId(prefix: string, ...parts: string[]): string {
  return `${prefix}_${base32(createHash('sha256').update(parts.join('\n')).digest()).slice(0, 26)}`;
}
