// The server's security rules: response headers on every answer, the bearer token, and which
// addresses count as loopback (bind address and Host header).
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { ServerResponse } from 'node:http';

/** The Content-Security-Policy of every response: the UI's own scripts and styles only. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers sent with every response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/** Sets {@link SECURITY_HEADERS} on `response`. */
export function setSecurityHeaders(response: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether an `Authorization` header carries `Bearer <token>` (compared in constant time over
 * digests, so neither the token's length nor its content leaks through timing).
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (typeof header !== 'string') return false;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (match === null) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/** Whether `host` (a bind address or host name, no port) is this machine's loopback. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const family = isIP(name);
  if (family === 4) return name.startsWith('127.');
  if (family === 6) {
    if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name);
    return mapped !== null && mapped[1]!.startsWith('127.');
  }
  return false;
}

/**
 * Whether a request's `Host` header names a loopback host (a port is allowed). A server bound to
 * loopback without a token answers only such requests: a web page whose own name resolves to
 * 127.0.0.1 (DNS rebinding) sends its name, and is refused.
 */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  if (typeof header !== 'string' || header === '') return false;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracketed !== null) return isLoopbackHost(bracketed[1]!);
  const plain = /^([^:]+)(?::\d+)?$/.exec(header);
  return plain !== null && isLoopbackHost(plain[1]!);
}
