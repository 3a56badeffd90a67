import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** One acknowledged cdk-nag finding: the rule (or `Rule[finding]`) and why it does not apply. */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag findings on a construct and everything below it, through aws-cdk-lib's own
 * `Validations` API (cdk-nag 3 reads it), so `lib/` does not depend on cdk-nag at run time. Every
 * acknowledgement must say why: a reason shorter than 20 characters is a programming error.
 */
export function acknowledge(scope: IConstruct, ...rules: NagAcknowledgement[]): void {
  for (const r of rules) if (r.reason.trim().length < 20) throw new Error(`nag acknowledgement ${r.id} on ${scope.node.path} needs a real reason`);
  Validations.of(scope).acknowledge(...rules);
}

/** Every acknowledgement recorded under a scope: construct path, rule id and reason (for tests and audits). */
export function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  const out: { path: string; id: string; reason: string }[] = [];
  for (const c of scope.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !m.data) continue;
      for (const [id, reason] of Object.entries(m.data as Record<string, string>))
        out.push({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason });
    }
  }
  return out;
}
