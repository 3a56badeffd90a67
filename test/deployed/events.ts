/**
 * EventBridge as the template configures it: the rules (`AWS::Events::Rule`) of each bus with their
 * event patterns and targets, the scheduled rules, and the event pattern language (exact values,
 * `prefix`, `suffix`, `anything-but`, `numeric`, `exists`, `equals-ignore-case`, `wildcard`, `$or`).
 */
import { randomUUID } from 'node:crypto';
import { ACCOUNT, asArray, isObject, REGION, type ResolvedTemplate, TemplateError } from './template.js';

export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

export interface RuleTarget {
  readonly id: string;
  /** ARN of the target (a function, a queue...). */
  readonly arn: string;
  /** Constant `Input` (JSON text), or the `InputPath`; `InputTransformer` is not supported. */
  readonly input?: string;
  readonly inputPath?: string;
  readonly transformer: boolean;
}

export interface LocalRule {
  readonly logicalId: string;
  readonly arn: string;
  readonly busName: string;
  readonly enabled: boolean;
  readonly pattern?: Record<string, unknown>;
  readonly schedule?: string;
  readonly targets: readonly RuleTarget[];
}

export function rulesOf(t: ResolvedTemplate): LocalRule[] {
  return t.ofType('AWS::Events::Rule').map((id) => {
    const p = (t.resource(id).Properties ?? {}) as Record<string, unknown>;
    const pattern = t.resolve(p.EventPattern);
    return {
      logicalId: id,
      arn: t.getAtt(id, 'Arn'),
      busName: p.EventBusName === undefined ? 'default' : t.str(p.EventBusName).replace(/^.*event-bus\//, ''),
      enabled: (p.State ?? 'ENABLED') === 'ENABLED',
      pattern: typeof pattern === 'string' ? JSON.parse(pattern) : isObject(pattern) ? pattern : undefined,
      schedule: p.ScheduleExpression === undefined ? undefined : t.str(p.ScheduleExpression),
      targets: asArray(p.Targets).map((x) => {
        const target = x as Record<string, unknown>;
        return {
          id: t.str(target.Id),
          arn: t.str(target.Arn),
          input: target.Input === undefined ? undefined : t.str(target.Input),
          inputPath: target.InputPath === undefined ? undefined : t.str(target.InputPath),
          transformer: target.InputTransformer !== undefined,
        };
      }),
    };
  });
}

/** The event EventBridge makes of a PutEvents entry. */
export function busEvent(entry: { Source?: string; DetailType?: string; Detail?: string; Resources?: string[]; Time?: number | string }): BusEvent {
  const time = entry.Time === undefined ? new Date() : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType ?? '',
    source: entry.Source ?? '',
    account: ACCOUNT,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: REGION,
    resources: entry.Resources ?? [],
    detail: entry.Detail === undefined ? {} : JSON.parse(entry.Detail),
  };
}

/** The event a scheduled rule sends when its target has no `Input`. */
export function scheduledEvent(rule: LocalRule): BusEvent {
  return { ...busEvent({ Source: 'aws.events', DetailType: 'Scheduled Event', Detail: '{}' }), resources: [rule.arn] };
}

/** What a target receives for an event: its constant input, the path of the event, or the event. */
export function targetPayload(target: RuleTarget, event: BusEvent): unknown {
  if (target.transformer) throw new TemplateError(`target ${target.id}: InputTransformer is not supported by the as-deployed test`);
  if (target.input !== undefined) return JSON.parse(target.input);
  if (target.inputPath !== undefined) {
    let v: unknown = event;
    for (const key of target.inputPath
      .replace(/^\$\.?/, '')
      .split('.')
      .filter(Boolean))
      v = isObject(v) ? v[key] : undefined;
    return v;
  }
  return event;
}

/** Whether an event matches an EventBridge event pattern. */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  for (const [key, p] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!asArray(p).some((alt) => isObject(alt) && matchesPattern(alt, event))) return false;
      continue;
    }
    const v = isObject(event) ? event[key] : undefined;
    if (Array.isArray(p)) {
      if (!matchesField(p, v)) return false;
    } else if (isObject(p)) {
      if (!isObject(v) || !matchesPattern(p, v)) return false;
    } else throw new TemplateError(`event pattern field ${key}: expected an array or an object, got ${JSON.stringify(p)}`);
  }
  return true;
}

function matchesField(matchers: readonly unknown[], v: unknown): boolean {
  const values = Array.isArray(v) ? v : [v];
  return matchers.some((m) => {
    if (isObject(m) && 'exists' in m) return m.exists ? v !== undefined : v === undefined;
    if (v === undefined) return false;
    return values.some((x) => matchesOne(m, x));
  });
}

const NUMERIC: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function matchesOne(m: unknown, x: unknown): boolean {
  if (!isObject(m)) return m === x;
  const [op, arg] = Object.entries(m)[0] ?? [];
  const s = typeof x === 'string' ? x : undefined;
  switch (op) {
    case 'prefix':
      return s !== undefined && typeof arg === 'string' && s.startsWith(arg);
    case 'suffix':
      return s !== undefined && typeof arg === 'string' && s.endsWith(arg);
    case 'equals-ignore-case':
      return s !== undefined && typeof arg === 'string' && s.toLowerCase() === arg.toLowerCase();
    case 'wildcard':
      return (
        s !== undefined &&
        typeof arg === 'string' &&
        new RegExp(
          `^${arg
            .split('*')
            .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ).test(s)
      );
    case 'anything-but':
      if (isObject(arg)) return !matchesOne(arg, x);
      return !asArray(arg).includes(x);
    case 'numeric': {
      if (typeof x !== 'number') return false;
      const ops = asArray(arg);
      for (let i = 0; i < ops.length; i += 2) if (!NUMERIC[String(ops[i])]?.(x, Number(ops[i + 1]))) return false;
      return true;
    }
    default:
      throw new TemplateError(`event pattern operator ${JSON.stringify(op)} is not supported by the as-deployed test`);
  }
}
