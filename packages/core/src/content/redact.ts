/*
 * Built-in redactors and the redaction engine the content policy runs on every string leaf.
 *
 * Two mechanisms: pattern redactors (`Redactor` functions, run on every string) and key-based
 * redaction (values under sensitive keys such as `authorization` are replaced whatever they are,
 * without being read). Both run inside the serialisation walk, so content is visited once.
 */
import { diag } from '@opentelemetry/api';
import type { LeafRedaction } from './safe-serialize.js';
import { toWellFormed } from './strings.js';
import type { ContentField, Redactor } from './types.js';

/** Replaces an API key or token found by {@link redactApiKeys}. */
export const REDACTED_API_KEY = '[REDACTED:api_key]';
/** Replaces an email address found by {@link redactEmails}. */
export const REDACTED_EMAIL = '[REDACTED:email]';
/** Replaces a string whose redactor threw or returned a non-string (fail closed). */
export const REDACTED_ERROR = '[REDACTED:error]';

// `Bearer <token>`: the scheme is kept for readability. The token must contain a digit or a token
// symbol, so prose such as "Bearer authentication" is left alone.
const BEARER =
  /\b(Bearer\s+)(?=[A-Za-z0-9\-._~+/]{8})(?=[A-Za-z.]*[0-9\-_~+/])[A-Za-z0-9\-_~+/]+(?:\.[A-Za-z0-9\-_~+/]+)*=*/gi;

// Provider key formats. Every alternative starts with a literal prefix, so scanning stays linear.
const API_KEY = new RegExp(
  [
    /\bsk-[A-Za-z0-9_-]{20,}/.source, // OpenAI sk-, sk-proj-, sk-svcacct-; Anthropic sk-ant-
    /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/.source, // AWS access key ids
    /\bgh[pousr]_[A-Za-z0-9]{36,}/.source, // GitHub classic tokens
    /\bgithub_pat_[A-Za-z0-9_]{22,}/.source, // GitHub fine-grained tokens
    /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/.source, // JWTs
    /\bAIza[0-9A-Za-z_-]{35}/.source, // Google API keys
    /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/.source, // Stripe secret / restricted keys
    /\bxox[abposr]-[A-Za-z0-9-]{10,}/.source, // Slack tokens
    /\bhf_[A-Za-z0-9]{30,}/.source, // Hugging Face tokens
  ].join('|'),
  'g',
);

// The lookbehind stops a match from starting inside a longer run, and the bounded quantifiers keep
// the scan linear on long strings without an `@`-free tail.
const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,63}\b/g;

/**
 * Built-in redactor: replaces API keys and tokens (OpenAI, Anthropic, AWS, GitHub, Google, Stripe,
 * Slack, Hugging Face, JWTs, `Bearer <token>`) with `[REDACTED:api_key]`.
 */
export const redactApiKeys: Redactor = (value) => {
  if (typeof value !== 'string') return value;
  // The shortest match, `Bearer ` plus an 8-character token, is 15 characters.
  if (value.length < 15) return value;
  return value.replace(BEARER, `$1${REDACTED_API_KEY}`).replace(API_KEY, REDACTED_API_KEY);
};

/** Built-in redactor: replaces email addresses with `[REDACTED:email]`. Opt-in. */
export const redactEmails: Redactor = (value) =>
  typeof value === 'string' && value.includes('@') ? value.replace(EMAIL, REDACTED_EMAIL) : value;

/** Normalised (lower case, no `-`/`_`/`.`/space) keys whose values are always redacted. */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'apikey',
  'xapikey',
  'password',
  'passwd',
  'secret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'sessiontoken',
  'clientsecret',
  'privatekey',
  'cookie',
  'setcookie',
]);

// Suffixes catch `openaiApiKey`, `client_secret`, `db_password`… `token` is deliberately exact-only:
// `max_tokens`, `input_tokens` and `next_page_token` are not secrets.
const SENSITIVE_SUFFIXES = ['apikey', 'secret', 'password', 'accesstoken', 'authtoken', 'privatekey'];

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_.\s]/g, '');
}

/**
 * True when `key` names a credential (`authorization`, `api_key`, `apiKey`, `x-api-key`,
 * `password`, `secret`, `token`, …), ignoring case, `-`, `_` and `.`.
 */
export function isSensitiveKey(key: string): boolean {
  return matchesSensitive(normalizeKey(key), SENSITIVE_KEYS);
}

function matchesSensitive(normalized: string, exact: ReadonlySet<string>): boolean {
  if (exact.has(normalized)) return true;
  for (const suffix of SENSITIVE_SUFFIXES) if (normalized.endsWith(suffix)) return true;
  return false;
}

/** Options of {@link createRedactionEngine}. */
export interface RedactionEngineOptions {
  /** Redactors run in order on every string leaf. */
  redactors: readonly Redactor[];
  /** Extra keys whose values are always redacted, matched like the built-in ones. */
  sensitiveKeys?: readonly string[];
}

/** Per-policy redaction state: the redactors, the key matcher and the warn-once bookkeeping. */
export interface RedactionEngine {
  /** The leaf-redaction hooks for one content field; cached, so the hot path allocates nothing. */
  forField(field: ContentField): LeafRedaction;
  /** Runs the redactors on one string; a failing redactor yields `[REDACTED:error]`. */
  redact(value: string, context: { field: ContentField; key?: string }): string;
}

// Object keys repeat endlessly (`role`, `content`, `type`), so verdicts are cached up to a bound.
const KEY_CACHE_LIMIT = 2048;

/** Builds the redaction engine a content policy uses. Never throws. */
export function createRedactionEngine(options: RedactionEngineOptions): RedactionEngine {
  const redactors = options.redactors.slice();
  const exact = new Set(SENSITIVE_KEYS);
  for (const key of options.sensitiveKeys ?? []) if (typeof key === 'string') exact.add(normalizeKey(key));
  const keyVerdicts = new Map<string, boolean>();
  const warned = new Set<Redactor>();
  const byField = new Map<ContentField, LeafRedaction>();

  const isSensitive = (key: string): boolean => {
    let verdict = keyVerdicts.get(key);
    if (verdict === undefined) {
      verdict = matchesSensitive(normalizeKey(key), exact);
      if (keyVerdicts.size < KEY_CACHE_LIMIT) keyVerdicts.set(key, verdict);
    }
    return verdict;
  };

  const fail = (redactor: Redactor, reason: unknown): string => {
    // Once per redactor: a broken redactor would otherwise log for every string of every span.
    if (!warned.has(redactor)) {
      warned.add(redactor);
      let name = '(anonymous)';
      try {
        if (typeof redactor.name === 'string' && redactor.name) name = redactor.name;
      } catch {
        // A Proxy redactor whose `name` throws: anonymous.
      }
      diag.warn(
        `agent-otel: content redactor ${name} failed; affected values are recorded as ${REDACTED_ERROR}`,
        reason,
      );
    }
    return REDACTED_ERROR;
  };

  const redact = (value: string, context: { field: ContentField; key?: string }): string => {
    let out = value;
    for (const redactor of redactors) {
      let next: unknown;
      try {
        next = redactor(out, context);
      } catch (error) {
        return fail(redactor, error);
      }
      if (typeof next !== 'string')
        return fail(redactor, new TypeError(`returned ${typeof next}, not a string`));
      out = next;
    }
    // A custom redactor could cut a surrogate pair in half.
    return out === value ? out : toWellFormed(out);
  };

  return {
    redact,
    forField(field) {
      let hooks = byField.get(field);
      if (!hooks) {
        hooks = {
          redactString: (value, key) => redact(value, key === undefined ? { field } : { field, key }),
          isSensitiveKey: isSensitive,
        };
        byField.set(field, hooks);
      }
      return hooks;
    },
  };
}
