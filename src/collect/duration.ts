/** `--config-max-age` durations: a whole number and a unit, s m h d (e.g. 90m, 24h, 2d); at most 366 days. */
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
export const MAX_DURATION_SECONDS = 366 * 86_400;

/** Seconds, or undefined when the text is not such a duration. */
export function durationSeconds(text: string): number | undefined {
  const match = /^([0-9]{1,9})([smhd])$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * (UNITS[match[2] as string] as number);
  return seconds >= 1 && seconds <= MAX_DURATION_SECONDS ? seconds : undefined;
}
