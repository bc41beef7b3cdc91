// UTF-8 without TextEncoder/TextDecoder: the fallback runs in JavaScript runtimes that
// may have neither (classic Outlook's JavaScript-only runtime).

/**
 * Encodes a string as UTF-8. Lone surrogates become U+FFFD, as TextEncoder does.
 * @param {string} text
 * @returns {Uint8Array}
 */
export function encodeUtf8(text) {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      out[n++] = code;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        code = 0xfffd;
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      code = 0xfffd;
    }
    if (code < 0x800) {
      out[n++] = 0xc0 | (code >> 6);
      out[n++] = 0x80 | (code & 0x3f);
    } else if (code < 0x10000) {
      out[n++] = 0xe0 | (code >> 12);
      out[n++] = 0x80 | ((code >> 6) & 0x3f);
      out[n++] = 0x80 | (code & 0x3f);
    } else {
      out[n++] = 0xf0 | (code >> 18);
      out[n++] = 0x80 | ((code >> 12) & 0x3f);
      out[n++] = 0x80 | ((code >> 6) & 0x3f);
      out[n++] = 0x80 | (code & 0x3f);
    }
  }
  return out.subarray(0, n);
}

const CHUNK = 4096;

/**
 * Decodes UTF-8. The checker only ever returns valid UTF-8 (Rust strings); invalid
 * sequences still decode, as U+FFFD, rather than throw.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function decodeUtf8(bytes) {
  let result = "";
  const units = [];
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let code = 0xfffd;
    let size = 1;
    if (b < 0x80) {
      code = b;
    } else if (b >= 0xc2 && b < 0xe0 && isTail(bytes[i + 1])) {
      code = ((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
      size = 2;
    } else if (b >= 0xe0 && b < 0xf0 && isTail(bytes[i + 1]) && isTail(bytes[i + 2])) {
      code = ((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
      size = 3;
      if (code < 0x800 || (code >= 0xd800 && code <= 0xdfff)) code = 0xfffd;
    } else if (
      b >= 0xf0 && b < 0xf5 &&
      isTail(bytes[i + 1]) && isTail(bytes[i + 2]) && isTail(bytes[i + 3])
    ) {
      code = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) |
        ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
      size = 4;
      if (code < 0x10000 || code > 0x10ffff) code = 0xfffd;
    }
    i += size;
    if (code > 0xffff) {
      code -= 0x10000;
      units.push(0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff));
    } else {
      units.push(code);
    }
    if (units.length >= CHUNK) {
      result += String.fromCharCode.apply(null, units);
      units.length = 0;
    }
  }
  return result + String.fromCharCode.apply(null, units);
}

function isTail(byte) {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}
