import type { CelFunction } from './types.js';

/** AWS Config's service-linked role lives under this path (Config.1's includeConfigServiceLinkedRoleCheck). */
const CONFIG_SLR = /^arn:aws[a-z-]*:iam::\d{12}:role\/aws-service-role\/config\.amazonaws\.com\/[A-Za-z0-9+=,.@_-]+$/;

/** True when a Config recorder's role is the AWS Config service-linked role (AWSServiceRoleForConfig). */
export function isConfigServiceLinkedRole(roleArn: unknown): boolean {
  return typeof roleArn === 'string' && CONFIG_SLR.test(roleArn);
}

const DAY_HOURS = 24;

/**
 * The longest gap, in whole days (rounded up), between two rotations of a Secrets Manager secret, from its
 * normalised rotationRules ({automaticallyAfterDays, scheduleExpression}). -1 when the schedule cannot be
 * determined, so a rule comparing against a maximum fails rather than passes.
 */
export function rotationIntervalDays(rules: unknown): bigint {
  if (!rules || typeof rules !== 'object') return -1n;
  const { automaticallyAfterDays, scheduleExpression } = rules as { automaticallyAfterDays?: unknown; scheduleExpression?: unknown };
  if (typeof scheduleExpression === 'string' && scheduleExpression.trim() !== '') return scheduleIntervalDays(scheduleExpression.trim());
  if (typeof automaticallyAfterDays === 'number' && automaticallyAfterDays > 0) return BigInt(Math.ceil(automaticallyAfterDays));
  if (typeof automaticallyAfterDays === 'bigint' && automaticallyAfterDays > 0n) return automaticallyAfterDays;
  return -1n;
}

function scheduleIntervalDays(expression: string): bigint {
  const rate = /^rate\(\s*(\d+)\s+(hour|hours|day|days)\s*\)$/i.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    if (n <= 0) return -1n;
    const hours = /^hour/i.test(rate[2] as string) ? n : n * DAY_HOURS;
    return BigInt(Math.ceil(hours / DAY_HOURS));
  }
  const cron = /^cron\((.+)\)$/i.exec(expression);
  return cron ? cronIntervalDays((cron[1] as string).trim().split(/\s+/)) : -1n;
}

/**
 * Secrets Manager cron: minutes hours day-of-month month day-of-week year. Only schedules whose longest gap is
 * clear are answered: every day, listed days of the week, or listed days of the month in every month.
 */
function cronIntervalDays(fields: string[]): bigint {
  if (fields.length !== 6) return -1n;
  const [, , dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  if (!isAny(month) || !isAny(year)) return -1n;
  if (isAny(dayOfMonth) && isAny(dayOfWeek)) return 1n;
  if (isAny(dayOfMonth)) return maxCircularGap(dayOfWeek.split(',').map(weekday), 7);
  if (isAny(dayOfWeek)) return maxCircularGap(dayOfMonth.split(',').map(monthDay), 31);
  return -1n;
}

function isAny(field: string): boolean {
  return field === '*' || field === '?';
}

const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function weekday(token: string): number {
  const upper = token.toUpperCase();
  const named = WEEKDAYS.indexOf(upper);
  if (named >= 0) return named;
  return /^[1-7]$/.test(upper) ? Number(upper) - 1 : Number.NaN;
}

function monthDay(token: string): number {
  return /^([1-9]|[12]\d|3[01])$/.test(token) ? Number(token) : Number.NaN;
}

/** Longest gap between consecutive points on a cycle of `period` (days of a week, or of the longest month). */
function maxCircularGap(points: number[], period: number): bigint {
  if (points.length === 0 || points.some((p) => Number.isNaN(p))) return -1n;
  const sorted = [...new Set(points)].sort((a, b) => a - b);
  let gap = (sorted[0] as number) + period - (sorted[sorted.length - 1] as number);
  for (let i = 1; i < sorted.length; i++) gap = Math.max(gap, (sorted[i] as number) - (sorted[i - 1] as number));
  return BigInt(gap);
}

export const dataFunctions: CelFunction[] = [
  {
    signature: 'isConfigServiceLinkedRole(dyn): bool',
    description: 'True when the ARN is the AWS Config service-linked role (role/aws-service-role/config.amazonaws.com/...)',
    handler: isConfigServiceLinkedRole as CelFunction['handler'],
  },
  {
    signature: 'rotationIntervalDays(dyn): int',
    description: 'Longest days between Secrets Manager rotations from normalised rotationRules; -1 when unknown',
    handler: rotationIntervalDays as CelFunction['handler'],
  },
];
