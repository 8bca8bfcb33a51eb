import { percentDecode } from './settings.js';

// `k=v,k2=v2` lists (W3C-baggage style without properties, percent-decoded), as used by
// OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_*HEADERS. A bad entry is dropped with a
// warning; the other entries still apply.

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// eslint-disable-next-line no-control-regex -- control characters are what must be refused
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** How a list is checked and how much of a bad entry a warning may show. */
export interface KeyValueListKind {
  /**
   * Header names must be HTTP tokens and values free of control characters; header values may be
   * secrets, so warnings never show an entry.
   */
  readonly headers: boolean;
  /** A valid list, shown in the fix text. */
  readonly example: string;
}

export const HEADERS_LIST: KeyValueListKind = { headers: true, example: 'api-key=secret,x-team=agents' };
export const RESOURCE_LIST: KeyValueListKind = {
  headers: false,
  example: 'deployment.environment.name=prod,service.version=1.2.0',
};

/** Parses `raw`; each bad entry adds one warning naming `variable`. */
export function parseKeyValueList(
  variable: string,
  raw: string,
  kind: KeyValueListKind,
  warnings: string[],
): Record<string, string> {
  const result: Record<string, string> = {};
  const entries = raw.split(',');
  const fix = `use comma-separated key=value pairs, e.g. ${kind.example} (percent-encode "," "=" and "%" inside keys and values)`;
  entries.forEach((entry, index) => {
    const trimmed = entry.trim();
    if (trimmed.length === 0) return;
    const shown = kind.headers ? `entry ${index + 1}` : `entry "${trimmed}"`;
    const reject = (problem: string) =>
      warnings.push(`${variable} ${shown} ${problem}; ${fix}. Ignoring that entry.`);
    const separator = trimmed.indexOf('=');
    if (separator <= 0) {
      reject(
        kind.headers ? 'is not key=value (value not shown: headers may hold secrets)' : 'is not key=value',
      );
      return;
    }
    const key = percentDecode(trimmed.slice(0, separator).trim());
    const value = percentDecode(trimmed.slice(separator + 1).trim());
    if (key === undefined || key.length === 0) {
      reject('has a key that is not valid percent-encoding');
      return;
    }
    if (value === undefined) {
      reject(`(key "${key}") has a value that is not valid percent-encoding`);
      return;
    }
    if (kind.headers && !HTTP_TOKEN.test(key)) {
      reject(`has "${key}", which is not a valid HTTP header name`);
      return;
    }
    if (kind.headers && CONTROL_CHARACTERS.test(value)) {
      reject(`(key "${key}") has a value with control characters`);
      return;
    }
    result[key] = value;
  });
  return result;
}
