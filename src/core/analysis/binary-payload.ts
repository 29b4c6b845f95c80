// Tells binary keys and values (Avro, Protobuf, compressed) from text and describes them, and SQS
// Binary message attributes, as what they are: byte length, a hex preview, and the schema id when the
// Confluent wire format is present (magic byte 0x00, then a 4-byte big-endian schema registry id). Pure; the preview holds only hex digits and
// spaces, so it can never carry a control character into a reply.

export const HEX_PREVIEW_BYTES = 32;

export interface BinaryPayload {
  length: number;
  /** The first bytes (HEX_PREVIEW_BYTES unless asked otherwise) as `00 00 00 00 07 …`. */
  hexPreview: string;
  /** More bytes than the preview shows. */
  truncated: boolean;
  /** Confluent Schema Registry id from the wire format header; null without the magic byte. */
  schemaId: number | null;
}

// C0 controls other than tab, newline and carriage return, and DEL: never in a text payload.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The Confluent wire format's schema id: magic byte 0, a 4-byte id, then at least one payload byte. */
export const confluentSchemaId = (bytes: Uint8Array): number | null => {
  if (bytes.length < 6 || bytes[0] !== 0) return null;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1, false);
};

export const hexPreview = (bytes: Uint8Array, max = HEX_PREVIEW_BYTES): string =>
  Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');

/** These bytes described: length, a preview of the first `previewBytes`, the Confluent schema id. */
export const describeBytes = (bytes: Uint8Array, previewBytes = HEX_PREVIEW_BYTES): BinaryPayload => ({
  length: bytes.length,
  hexPreview: hexPreview(bytes, previewBytes),
  truncated: bytes.length > previewBytes,
  schemaId: confluentSchemaId(bytes),
});

/**
 * Null when the payload is text; else its binary description. `bytes` are the payload's own bytes
 * when its text form is lossy (not UTF-8); without them the text is encoded back to UTF-8, which is
 * exact for any text that came from UTF-8 bytes.
 */
export const describeBinary = (text: string, bytes?: Uint8Array | null): BinaryPayload | null => {
  if (!bytes && !CONTROL.test(text)) return null;
  return describeBytes(bytes ?? new TextEncoder().encode(text));
};

/** One line for tables and cards: `binary, 42 bytes, Confluent schema id 7: 00 00 00 00 07 …`. */
export const binarySummary = (payload: BinaryPayload, withPreview = true): string => {
  const schema = payload.schemaId === null ? '' : `, Confluent schema id ${payload.schemaId}`;
  const preview = withPreview && payload.length > 0 ? `: ${payload.hexPreview}${payload.truncated ? ' …' : ''}` : '';
  return `binary, ${payload.length} byte${payload.length === 1 ? '' : 's'}${schema}${preview}`;
};
