// How Kafka header bytes travel as text in a DLQ message's attributes, and back: UTF-8 values as
// they are, anything else as `base64:<bytes>` (the Kafka record mapper writes this form). Recognisers
// read binary headers (Spring's big-endian ints and longs) back through `headerBytes`. Pure.

export const BINARY_HEADER_PREFIX = 'base64:';

const fromBase64 = (text: string): Uint8Array | null => {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
};

/** The bytes behind a header's text form; null when a `base64:` value is not valid base64. */
export const headerBytes = (text: string): Uint8Array | null =>
  text.startsWith(BINARY_HEADER_PREFIX) ? fromBase64(text.slice(BINARY_HEADER_PREFIX.length)) : new TextEncoder().encode(text);

/** A big-endian signed integer of exactly `width` bytes (Java's ByteBuffer.putInt / putLong); null for any other length. */
export const bigEndianInteger = (bytes: Uint8Array | null, width: 4 | 8): bigint | null => {
  if (bytes === null || bytes.length !== width) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return width === 4 ? BigInt(view.getInt32(0, false)) : view.getBigInt64(0, false);
};
