/**
 * IAM as the template grants it: the identity-based policies of each role (`AWS::IAM::Policy` and
 * `AWS::IAM::ManagedPolicy` attached to it, the role's inline policies) with every reference
 * resolved to the ARN it names, evaluated the way IAM does for one action on one resource: an
 * explicit Deny wins, else an Allow must match both action and resource (wildcards `*`, `?`).
 */
import { HubEnvSchema } from '../../core/env.js';
import { asArray, isObject, type ResolvedTemplate } from './template.js';

interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

/** One AWS call a process made, as the local endpoint recorded it. */
export interface AwsCall {
  /** Logical id of the calling role (the access key id of its credentials). */
  readonly role: string;
  /** IAM action, e.g. `dynamodb:PutItem`. */
  readonly action: string;
  /** ARN of the resource acted on. */
  readonly resource: string;
}

export interface Verdict {
  readonly allowed: boolean;
  /** Why not, when denied: one sentence naming role, action and resource. */
  readonly reason?: string;
}

const escapeRegex = (s: string) => s.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
const glob = (pattern: string, flags = '') =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.split('?').map(escapeRegex).join('.'))
      .join('.*')}$`,
    flags,
  );
const matchesAny = (patterns: unknown, value: string, flags = '') => asArray(patterns).some((p) => typeof p === 'string' && glob(p, flags).test(value));

export class IamPolicies {
  private readonly cache = new Map<string, Statement[]>();

  constructor(private readonly t: ResolvedTemplate) {}

  /** Every identity-based statement that applies to a role. */
  statements(roleId: string): Statement[] {
    const cached = this.cache.get(roleId);
    if (cached) return cached;
    const roleName = this.t.name(roleId);
    const out: Statement[] = [];
    const add = (document: unknown) => {
      const doc = this.t.resolve(document);
      if (isObject(doc)) for (const s of asArray(doc.Statement)) if (isObject(s)) out.push(s as unknown as Statement);
    };
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
      for (const id of this.t.ofType(type)) {
        const p = this.t.resource(id).Properties ?? {};
        const roles = asArray(this.t.resolve(p.Roles));
        if (roles.includes(roleName)) add(p.PolicyDocument);
      }
    }
    const role = this.t.resource(roleId).Properties ?? {};
    for (const p of asArray(role.Policies)) if (isObject(p)) add(p.PolicyDocument);
    this.cache.set(roleId, out);
    return out;
  }

  evaluate(call: AwsCall): Verdict {
    if (this.t.template.Resources[call.role]?.Type !== 'AWS::IAM::Role')
      return {
        allowed: false,
        reason: `${call.action} on ${this.t.describe(call.resource)} was called with credentials of ${call.role}, which is no role of the template`,
      };
    const applies = (s: Statement) =>
      (s.Action !== undefined ? matchesAny(s.Action, call.action, 'i') : !matchesAny(s.NotAction, call.action, 'i')) &&
      (s.Resource !== undefined ? matchesAny(s.Resource, call.resource) : !matchesAny(s.NotResource, call.resource));
    const statements = this.statements(call.role).filter(applies);
    const conditional = statements.filter((s) => s.Condition !== undefined);
    const who = `${call.role}${this.usersOf(call.role)}`;
    if (statements.some((s) => s.Effect === 'Deny' && s.Condition === undefined))
      return { allowed: false, reason: `${who} is explicitly denied ${call.action} on ${this.t.describe(call.resource)}` };
    if (statements.some((s) => s.Effect === 'Allow' && s.Condition === undefined)) return { allowed: true };
    const note = conditional.length > 0 ? ' (statements with a Condition are not evaluated here and count as not allowing)' : '';
    const hint = this.t.ownerOf(call.resource.replace(/\/index\/.*$/, '')) ? '' : `; ${this.environmentOf(call.role, call.resource)}`;
    return {
      allowed: false,
      reason: `${who} is not allowed ${call.action} on ${this.t.describe(call.resource)}: no statement of its policies allows it${note}${hint}`,
    };
  }

  /**
   * Which resources of the template the environment of a role's functions and containers names
   * (`VAR → LogicalId`), and which unset variable's runtime default (core/env.ts) the resource is.
   */
  private environmentOf(roleId: string, resource: string): string {
    const users = this.usersOf(roleId)
      .replace(/^ \(role of |\)$/g, '')
      .split(', ')
      .filter(Boolean);
    const vars = users.flatMap((id) => {
      const p = (this.t.resolve(this.t.resource(id).Properties ?? {}) ?? {}) as Record<string, unknown>;
      const env = isObject(p.Environment) && isObject(p.Environment.Variables) ? Object.entries(p.Environment.Variables) : [];
      const containers = asArray(p.ContainerDefinitions).flatMap((c) =>
        asArray(isObject(c) ? c.Environment : []).map((e) => [String((e as Record<string, unknown>).Name), (e as Record<string, unknown>).Value]),
      );
      return [...env, ...containers];
    });
    const named = vars.filter(([, v]) => this.t.ownerOf(String(v))).map(([k, v]) => `${k} → ${this.t.ownerOf(String(v))}`);
    const name = resource
      .replace(/\/index\/.*$/, '')
      .split(/[/:]/)
      .pop();
    const unset = Object.entries(HubEnvSchema.parse({}))
      .filter(([k, v]) => v === name && !vars.some(([set]) => set === k))
      .map(([k]) => k);
    const fallback = unset.length > 0 ? `${name} is the runtime's default of ${unset.join(', ')} (core/env.ts), which that environment does not set; ` : '';
    return `${fallback}the environment of ${users.join(', ') || roleId} names ${named.join(', ') || 'no resource of the template'}`;
  }

  /** ` (role of X, Y)`: the functions and task definitions that run with a role. */
  usersOf(roleId: string): string {
    const arn = this.t.getAtt(roleId, 'Arn');
    const users = Object.entries(this.t.template.Resources)
      .filter(([, r]) => {
        const p = r.Properties ?? {};
        if (r.Type === 'AWS::Lambda::Function') return this.t.resolve(p.Role) === arn;
        if (r.Type === 'AWS::ECS::TaskDefinition') return this.t.resolve(p.TaskRoleArn) === arn;
        return false;
      })
      .map(([id]) => id);
    return users.length > 0 ? ` (role of ${users.join(', ')})` : '';
  }
}

/** Whether `value` matches an ARN pattern with IAM wildcards (also used for resource-based policies). */
export function arnMatches(pattern: string, value: string): boolean {
  return glob(pattern).test(value);
}
