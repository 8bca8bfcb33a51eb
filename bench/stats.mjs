// Statistics shared by the benchmark scripts.

/** The median of a list of numbers (the mean of the two middle values when the count is even). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `median (min–max)`, each with `digits` decimals. */
export function medianRange(xs, digits = 0) {
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
}
