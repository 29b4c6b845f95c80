// Length capping for text shown in Slack, a terminal or a log: never exceeds the cap, never splits a
// UTF-16 surrogate pair or a Slack entity (&amp; &lt; &gt;), and says how much was cut.

export type TruncateMarker = string | ((removedChars: number) => string);

export const defaultTruncateMarker = (removedChars: number): string => `… [truncated ${removedChars} chars]`;

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** Moves a cut position left so it splits neither an `&amp;`-style entity nor a surrogate pair. */
const safeCut = (text: string, cut: number): number => {
  let at = Math.max(0, Math.min(cut, text.length));
  // Escaped text cut inside `&amp;` would show a broken `&am`: drop the whole entity instead.
  for (let p = Math.max(0, at - 4); p < at; p += 1) {
    if (text.charCodeAt(p) !== 0x26) continue;
    const entity = /^&(?:amp|lt|gt);/.exec(text.slice(p, p + 5));
    if (entity && p + entity[0].length > at) {
      at = p;
      break;
    }
  }
  if (at > 0 && at < text.length && isHighSurrogate(text.charCodeAt(at - 1))) at -= 1;
  return at;
};

/**
 * Returns `text` unchanged when it fits in `max` UTF-16 code units, else a prefix plus the marker,
 * the whole never longer than `max`. When even the marker does not fit, a bare prefix is returned.
 * A string marker is used as is; a function marker receives the number of code units removed.
 */
export const truncate = (text: string, max: number, marker: TruncateMarker = defaultTruncateMarker): string => {
  const limit = Math.max(0, Math.floor(max));
  if (text.length <= limit) return text;
  const markerFor = typeof marker === 'string' ? () => marker : marker;
  // The marker's length depends on the count it names and the count on the marker: shrink the kept
  // prefix until both agree (a few rounds at most, since the prefix only ever shrinks).
  let keep = text.length;
  for (let round = 0; round < 8; round += 1) {
    const suffixLength = markerFor(text.length - keep).length;
    if (suffixLength > limit) return text.slice(0, safeCut(text, limit));
    const next = Math.min(keep, safeCut(text, limit - suffixLength));
    if (next === keep) break;
    keep = next;
  }
  const suffix = markerFor(text.length - keep);
  return keep + suffix.length <= limit ? text.slice(0, keep) + suffix : text.slice(0, safeCut(text, limit));
};
