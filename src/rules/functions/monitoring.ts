import type { CelFunction } from './types.js';

/**
 * CIS AWS Foundations v3.0.0 section 4 (4.1–4.15) semantics. Each recommendation's audit procedure: take a
 * multi-Region CloudTrail trail that is logging, records all management events (IncludeManagementEvents true,
 * ReadWriteType All) and delivers to CloudWatch Logs (CloudWatchLogsLogGroupArn); on that log group there must
 * be a metric filter with the benchmark's pattern; an alarm must watch the filter's metric; and one of the alarm's
 * actions must be an SNS topic with at least one confirmed subscription ("at least one subscriber should have a
 * valid ARN": a PendingConfirmation subscription does not count). Sourced: CIS v3.0.0 text via
 * prowler-cloud/prowler@3e000faa:prowler/compliance/aws/cis_3.0_aws.json (AuditProcedure of 4.1–4.15).
 *
 * Filter patterns are compared by their terms, not their text: each `$.field op value` term is normalised
 * (whitespace collapsed, quotes around the value removed, the operator upper-cased) and every term of the
 * benchmark's pattern must be among the filter's. The logical connectives are not compared: the benchmark's own
 * text joins some terms inconsistently (4.1, 4.13), and CloudWatch Logs treats a value with or without quotes alike.
 *
 * Metric filters and alarms are regional and a trail delivers to a log group in its home Region, so the chain is
 * judged in the Region of the trail's log group; other Regions that see such a trail are out of scope. Where no
 * Region can have the chain (no qualifying trail at all), every Region fails.
 */

interface Trail {
  type?: string;
  name?: string;
  isMultiRegion?: boolean;
  isLogging?: boolean;
  includeManagementEvents?: boolean;
  readWriteType?: string;
  cloudWatchLogsLogGroupArn?: string | null;
}
interface Transformation {
  metricName?: string;
  metricNamespace?: string;
}
interface Filter {
  name?: string;
  logGroupName?: string;
  filterPattern?: string;
  metricTransformations?: Transformation[];
}
interface Alarm {
  name?: string;
  metricName?: string | null;
  namespace?: string | null;
  alarmActions?: string[];
}
interface Topic {
  id?: string;
  confirmedSubscriptionCount?: number | bigint;
}

const TERM =
  /\$\.([\w.[\]*-]+)\s*(?:(!=|>=|<=|=|>|<)\s*("(?:[^"\\]|\\.)*"|[^\s()&|}]+)|\s+(NOT\s+EXISTS|EXISTS|IS\s+NULL|NOT\s+NULL|IS\s+TRUE|IS\s+FALSE)\b)/gi;

/** The normalised terms of a CloudWatch Logs JSON filter pattern (`$.eventName = CreateTrail` → `$.eventName = CreateTrail`). */
export function patternTerms(pattern: unknown): string[] {
  if (typeof pattern !== 'string') return [];
  const terms = new Set<string>();
  for (const m of pattern.matchAll(TERM)) {
    const field = `$.${m[1]}`;
    if (m[4]) {
      terms.add(`${field} ${m[4].replace(/\s+/g, ' ').toUpperCase()}`);
      continue;
    }
    let value = m[3] ?? '';
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    terms.add(`${field} ${m[2]} ${value}`);
  }
  return [...terms].sort();
}

/** True when the filter pattern has every term of the benchmark pattern (and the benchmark has at least one). */
export function patternMatches(filterPattern: unknown, benchmark: unknown): boolean {
  const wanted = patternTerms(benchmark);
  if (wanted.length === 0) return false;
  const have = new Set(patternTerms(filterPattern));
  return wanted.every((t) => have.has(t));
}

/** The region and name of a log group ARN (`arn:aws:logs:<region>:<account>:log-group:<name>[:*]`). */
export function logGroupOf(arn: unknown): { region: string; name: string } | undefined {
  if (typeof arn !== 'string') return undefined;
  const m = /^arn:[^:]+:logs:([^:]+):[^:]*:log-group:(.+?)(?::\*)?$/.exec(arn);
  return m ? { region: m[1] as string, name: m[2] as string } : undefined;
}

function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function qualifying(trail: Trail): boolean {
  return (
    trail.type === 'AWS::CloudTrail::Trail' &&
    trail.isMultiRegion === true &&
    trail.isLogging === true &&
    trail.includeManagementEvents === true &&
    trail.readWriteType === 'ALL' &&
    logGroupOf(trail.cloudWatchLogsLogGroupArn) !== undefined
  );
}

function why(trail: Trail): string {
  const gaps: string[] = [];
  if (trail.isMultiRegion !== true) gaps.push('single-Region');
  if (trail.isLogging !== true) gaps.push('not logging');
  if (trail.includeManagementEvents !== true || trail.readWriteType !== 'ALL') gaps.push(`management events ${trail.includeManagementEvents === true ? (trail.readWriteType ?? 'NONE') : 'NONE'}`);
  if (!logGroupOf(trail.cloudWatchLogsLogGroupArn)) gaps.push('no CloudWatch Logs');
  return `${trail.name ?? '?'} (${gaps.join(', ')})`;
}

export interface MonitoringVerdict {
  /** False in a Region that sees a qualifying trail whose log group is in another Region (judged there). */
  inScope: boolean;
  /** Empty when compliant; else why, at the furthest step any chain reached. */
  failure: string;
  /** The compliant chain(s): trail → log group → filter → alarm → topic. */
  chains: string[];
}

/** The whole CIS 4.x chain for one benchmark pattern, judged in `region`. */
export function cisMonitoring(trailsArg: unknown, filtersArg: unknown, alarmsArg: unknown, topicsArg: unknown, pattern: unknown, region: unknown): MonitoringVerdict {
  const trails = list<Trail>(trailsArg).filter((t) => t?.type === 'AWS::CloudTrail::Trail');
  const good = trails.filter(qualifying);
  if (good.length === 0) {
    return {
      inScope: true,
      failure: `no logging multi-Region trail with all management events delivers to CloudWatch Logs (trails: ${trails.length ? trails.map(why).join(', ') : 'none'})`,
      chains: [],
    };
  }
  const here = good.filter((t) => logGroupOf(t.cloudWatchLogsLogGroupArn)?.region === region);
  if (here.length === 0) return { inScope: false, failure: '', chains: [] };

  const filters = list<Filter>(filtersArg);
  const alarms = list<Alarm>(alarmsArg);
  const confirmed = new Set(list<Topic>(topicsArg).filter((t) => Number(t?.confirmedSubscriptionCount ?? 0) > 0).map((t) => t.id));
  const chains: string[] = [];
  // The furthest step reached decides the message: 1 no filter, 2 no alarm, 3 no notified topic.
  let best: { step: number; message: string } = { step: 0, message: '' };
  const note = (step: number, message: string): void => {
    if (step > best.step) best = { step, message };
  };
  for (const trail of here) {
    const group = (logGroupOf(trail.cloudWatchLogsLogGroupArn) as { name: string }).name;
    const onGroup = filters.filter((f) => f?.logGroupName === group);
    const matching = onGroup.filter((f) => patternMatches(f.filterPattern, pattern));
    if (matching.length === 0) {
      note(1, `no metric filter on log group ${group} (trail ${trail.name ?? '?'}) has the benchmark pattern (filters on it: ${onGroup.map((f) => f.name ?? '?').join(', ') || 'none'})`);
      continue;
    }
    for (const filter of matching) {
      const metrics = list<Transformation>(filter.metricTransformations);
      const watching = alarms.filter((a) => metrics.some((m) => a?.metricName === m.metricName && a?.namespace === m.metricNamespace));
      if (watching.length === 0) {
        note(2, `no alarm watches metric ${metrics.map((m) => `${m.metricNamespace ?? '?'}/${m.metricName ?? '?'}`).join(', ') || '(none)'} of metric filter ${filter.name ?? '?'} on log group ${group}`);
        continue;
      }
      for (const alarm of watching) {
        const topic = list<string>(alarm.alarmActions).find((a) => a.startsWith('arn:') && a.split(':')[2] === 'sns' && confirmed.has(a));
        if (topic) chains.push(`${trail.name ?? '?'} → ${group} → ${filter.name ?? '?'} → ${alarm.name ?? '?'} → ${topic}`);
        else note(3, `alarm ${alarm.name ?? '?'} on metric filter ${filter.name ?? '?'} notifies no SNS topic with a confirmed subscription (actions: ${list<string>(alarm.alarmActions).join(', ') || 'none'})`);
      }
    }
  }
  return { inScope: true, failure: chains.length ? '' : best.message, chains: chains.sort() };
}

const TRAIL_READS = ['type', 'name', 'isMultiRegion', 'isLogging', 'includeManagementEvents', 'readWriteType', 'cloudWatchLogsLogGroupArn'];
const FILTER_READS = ['name', 'logGroupName', 'filterPattern', 'metricTransformations'];
const ALARM_READS = ['name', 'metricName', 'namespace', 'alarmActions'];
const TOPIC_READS = ['id', 'confirmedSubscriptionCount'];
const READS = [TRAIL_READS, FILTER_READS, ALARM_READS, TOPIC_READS, null, null] as const;

export const monitoringFunctions: CelFunction[] = [
  {
    signature: 'cisMonitoringInScope(dyn, dyn, dyn, dyn, dyn, dyn): bool',
    description: 'CIS 4.1–4.15: false in a Region that sees a qualifying multi-Region trail whose CloudWatch Logs group is in another Region',
    handler: ((t: unknown, f: unknown, a: unknown, s: unknown, p: unknown, r: unknown) => cisMonitoring(t, f, a, s, p, r).inScope) as CelFunction['handler'],
    reads: READS,
  },
  {
    signature: 'cisMonitoringFailure(dyn, dyn, dyn, dyn, dyn, dyn): string',
    description:
      'CIS 4.1–4.15: why no chain multi-Region trail → CloudWatch Logs → metric filter with the pattern → alarm → SNS topic with a confirmed subscription exists; "" when one does',
    handler: ((t: unknown, f: unknown, a: unknown, s: unknown, p: unknown, r: unknown) => cisMonitoring(t, f, a, s, p, r).failure) as CelFunction['handler'],
    reads: READS,
  },
  {
    signature: 'cisMonitoringChains(dyn, dyn, dyn, dyn, dyn, dyn): list<string>',
    description: 'CIS 4.1–4.15: the compliant chains (trail → log group → filter → alarm → topic)',
    handler: ((t: unknown, f: unknown, a: unknown, s: unknown, p: unknown, r: unknown) => cisMonitoring(t, f, a, s, p, r).chains) as CelFunction['handler'],
    reads: READS,
  },
];
