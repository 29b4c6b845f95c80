// Redaction of secrets in text and JSON taken from queues and alerts, before it reaches Slack or a log.
// Security: it errs toward hiding, never throws on malformed input, and is idempotent (re-redacting
// redacted text changes nothing). It cannot find secrets it has no pattern for: keep bodies out of
// logs anyway.

export const REDACTED = '[REDACTED]';

export interface RedactOptions {
  /** Extra key names (matched case-insensitively) whose values are hidden: JSON, key=value, key: value. */
  jsonKeys?: readonly string[];
}

/** Key names hidden wherever they appear (JSON keys, query parameters, key=value, headers). */
export const DEFAULT_SECRET_KEYS: readonly string[] = [
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'client_secret', 'token', 'access_token',
  'refresh_token', 'id_token', 'session_token', 'security_token', 'auth_token', 'api_key', 'apikey',
  'api-key', 'x-api-key', 'authorization', 'proxy-authorization', 'cookie', 'set-cookie',
  'private_key', 'secret_key', 'secret_access_key', 'aws_secret_access_key', 'credentials',
  // Presigned URL signatures: AWS SigV4/V2, GCS, Azure SAS (`sig` only: `se`/`X-Amz-Expires` stay
  // visible because an expiry is what an on-call engineer needs to see for an expired URL).
  'x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'signature', 'sig',
  'x-goog-signature', 'x-goog-credential',
];

const DEFAULT_KEY_SET = new Set(DEFAULT_SECRET_KEYS);
// Suffixes that make any key secret: db_password, clientSecret, nextPageToken, x-auth-token.
const SECRET_SUFFIX_SNAKE = /(?:password|passwd|secret|api[_-]?key)$|(?:^|[^a-z])token$/;
const SECRET_SUFFIX_CAMEL = /[a-z0-9](?:Password|Passwd|Secret|Token|ApiKey|ApiToken)$/;

const extraKeySet = (options: RedactOptions | undefined): ReadonlySet<string> | null =>
  options?.jsonKeys && options.jsonKeys.length > 0 ? new Set(options.jsonKeys.map((key) => key.toLowerCase())) : null;

/** Whether values under this key name are hidden (defaults, suffix rules, configured keys). */
export const isSecretKey = (key: string, extraKeys?: readonly string[]): boolean =>
  isSecretKeyIn(key, extraKeys ? new Set(extraKeys.map((k) => k.toLowerCase())) : null);

const isSecretKeyIn = (key: string, extra: ReadonlySet<string> | null): boolean => {
  const lower = key.toLowerCase();
  return DEFAULT_KEY_SET.has(lower) || (extra?.has(lower) ?? false) || SECRET_SUFFIX_SNAKE.test(lower) || SECRET_SUFFIX_CAMEL.test(key);
};

// Whole-token secrets, recognisable without a key name.
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
const SLACK_TOKEN = /(?<![A-Za-z])xox[abposre]-[A-Za-z0-9-]{6,}/g;
const SLACK_APP_TOKEN = /(?<![A-Za-z])xapp-[A-Za-z0-9-]{6,}/g;
const SLACK_WEBHOOK = /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[^\s"'<>]+/g;
const AWS_ACCESS_KEY_ID = /(?<![A-Z])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/<>"']+:)[^\s@/<>"']+(@)/gi;
// `Bearer <token>` / `Basic <base64>` anywhere (header dumps, error messages).
const AUTH_SCHEME = /(?<![A-Za-z])(Bearer|Basic)(\s+)([A-Za-z0-9\-._~+/=]+)/gi;
// Header lines: the whole value up to the end of the line or a JSON delimiter.
const AUTH_HEADER = /\b((?:proxy-)?authorization|x-api-key|cookie|set-cookie)(\s*[:=]\s*)([^\r\n"',}]+)/gi;
// JSON `"key": value` (string, number, literal), the same escaped inside a JSON string, and Python reprs.
const JSON_PAIR = /"([^"\\\n]{1,64})"(\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false)/g;
const ESCAPED_JSON_PAIR = /\\"([^"\\\n]{1,64})\\"(\s*:\s*)\\"((?:[^"\\]|\\[^"])*?)\\"/g;
const SINGLE_QUOTED_PAIR = /'([^'\\\n]{1,64})'(\s*:\s*)'((?:[^'\\\n]|\\.)*)'/g;
// key=value (query strings, form bodies, log lines) and `key: value` (YAML, log lines).
const KEY_EQUALS = /(?<![\w-])(\w[\w.-]{0,63})=([^&\s,;"'<>]+)/g;
const KEY_COLON = /(?<![\w"'-])([A-Za-z][\w.-]{0,63})(:[ \t]*)([^\s,;"'{}[\]]+)/g;

/** A scheme value that looks like a credential, not an English word ("Basic authentication failed"). */
const looksLikeCredential = (value: string): boolean =>
  value.length >= 8 && (/[\d\-._~+/=]/.test(value) || (/[A-Z]/.test(value.slice(1)) && /[a-z]/.test(value)));

/**
 * Hides presigned URL signatures, bearer/basic credentials, Authorization header values, Slack
 * tokens and webhook paths, AWS access key ids, JWTs, private keys, URL passwords, and the values
 * of secret-looking keys (`password=...`, `"password": "..."`, plus `options.jsonKeys`), replacing
 * each with `[REDACTED]`.
 */
export const redactSecrets = (text: string, options?: RedactOptions): string => {
  if (text.length === 0) return text;
  const extra = extraKeySet(options);
  // One pass can expose another match (a token glued to a redacted one): repeat to a fixed point.
  let out = text;
  for (let round = 0; round < 4; round += 1) {
    const next = redactOnce(out, extra);
    if (next === out) break;
    out = next;
  }
  return out;
};

const redactOnce = (text: string, extra: ReadonlySet<string> | null): string => {
  const secret = (key: string): boolean => isSecretKeyIn(key, extra);
  let out = text
    .replace(PRIVATE_KEY_BLOCK, REDACTED)
    .replace(SLACK_TOKEN, REDACTED)
    .replace(SLACK_APP_TOKEN, REDACTED)
    .replace(SLACK_WEBHOOK, `$1${REDACTED}`)
    .replace(AWS_ACCESS_KEY_ID, REDACTED)
    .replace(JWT, REDACTED)
    .replace(URL_USERINFO, `$1${REDACTED}$2`);
  out = out.replace(AUTH_HEADER, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`);
  out = out.replace(AUTH_SCHEME, (match, scheme: string, space: string, value: string) =>
    looksLikeCredential(value) ? `${scheme}${space}${REDACTED}` : match,
  );
  out = out.replace(JSON_PAIR, (match, key: string, sep: string) => (secret(key) ? `"${key}"${sep}"${REDACTED}"` : match));
  out = out.replace(ESCAPED_JSON_PAIR, (match, key: string, sep: string) =>
    secret(key) ? `\\"${key}\\"${sep}\\"${REDACTED}\\"` : match,
  );
  out = out.replace(SINGLE_QUOTED_PAIR, (match, key: string, sep: string) => (secret(key) ? `'${key}'${sep}'${REDACTED}'` : match));
  out = out.replace(KEY_EQUALS, (match, key: string) => (secret(key) ? `${key}=${REDACTED}` : match));
  out = out.replace(KEY_COLON, (match, key: string, sep: string) => (secret(key) ? `${key}${sep}${REDACTED}` : match));
  return out;
};

const MAX_DEPTH = 64;

/**
 * Returns a copy of a JSON-like value with the values of secret keys (defaults plus `keys`) replaced
 * by `[REDACTED]` and every string passed through `redactSecrets`. Never mutates its input.
 */
export const redactJson = (value: unknown, keys: readonly string[] = []): unknown => {
  const extra = keys.length > 0 ? new Set(keys.map((key) => key.toLowerCase())) : null;
  const options: RedactOptions = { jsonKeys: keys };
  const walk = (node: unknown, depth: number): unknown => {
    if (typeof node === 'string') return redactSecrets(node, options);
    if (node === null || typeof node !== 'object') return node;
    if (depth >= MAX_DEPTH) return REDACTED;
    if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      copy[key] = isSecretKeyIn(key, extra) && child !== null ? REDACTED : walk(child, depth + 1);
    }
    return copy;
  };
  return walk(value, 0);
};
