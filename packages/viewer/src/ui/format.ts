// Number, time and size formatting for the viewer (en-US, the user's time zone).

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `1,234` (rounded). */
export function formatInt(value: number): string {
  return Number.isFinite(value) ? integer.format(value) : '—';
}

/** A duration in milliseconds: `0.42 ms`, `12.3 ms`, `456 ms`, `1.23 s`, `2 m 03 s`, `1 h 02 m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms === 0) return '0';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours} h ${pad(minutes)} m` : `${minutes} m ${pad(seconds)} s`;
}

/** US dollars: `$1.23`, `$0.0042`, `—` when unknown. */
export function formatCost(usd: number | undefined): string {
  if (usd === undefined || !Number.isFinite(usd)) return '—';
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 1) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(2).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** `12.5 %` for a 0..1 rate. */
export function formatPercent(rate: number): string {
  if (!Number.isFinite(rate)) return '—';
  const percent = rate * 100;
  return `${percent === 0 || percent >= 10 ? percent.toFixed(0) : percent.toFixed(1)} %`;
}

/** A local timestamp `2026-05-04 13:02:11.123` (milliseconds when `withMs`). */
export function formatTime(ms: number, withMs = false): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${date} ${time}${withMs ? `.${String(d.getMilliseconds()).padStart(3, '0')}` : ''}`;
}

/** `3 min ago`, `2 h ago`, `just now`. */
export function formatAgo(ms: number, now = Date.now()): string {
  const seconds = Math.round((now - ms) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** The value of an `<input type="datetime-local">` for ms since the epoch (local time). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}`
  );
}

/** Ms since the epoch for an `<input type="datetime-local">` value; undefined when empty/invalid. */
export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/** Nanoseconds since the epoch (a decimal string) as ms relative to `baseNs`. */
export function relativeMs(ns: string, baseNs: bigint): number {
  try {
    return Number(BigInt(ns) - baseNs) / 1e6;
  } catch {
    return 0;
  }
}

/** Nanoseconds (a decimal string) as a bigint; 0n when not a number. */
export function toBigInt(ns: string): bigint {
  try {
    return BigInt(ns);
  } catch {
    return 0n;
  }
}

/** Milliseconds since the epoch for nanoseconds as a decimal string. */
export function nsToMs(ns: string): number {
  return Number(toBigInt(ns) / 1000n) / 1000;
}

/** Shortens `text` to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
