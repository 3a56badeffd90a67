import type { PolicyViolation } from 'aws-cdk-lib';
import { App, Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { acknowledge, acknowledgements } from '../../lib/nag.js';
import { hubApp } from './hub-app.js';

/** `Rule on path: description` lines, for a readable failure. */
const describeViolations = (violations: PolicyViolation[]) =>
  violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} on ${r.constructPath}: ${v.description}`));

/**
 * cdk-nag 3 (AwsSolutions and Serverless packs) over the ready-made app, with an alarm e-mail so
 * the subscription is checked too. Findings that do not apply are acknowledged in lib/ through
 * aws-cdk-lib's `Validations` API, each with its reason; the list is snapshotted for review.
 */
describe('lib/TelematicsHub (cdk-nag)', () => {
  let app: App;
  let stack: Stack;
  beforeAll(() => {
    ({ app, stack } = hubApp({ context: { 'hub:alarmEmail': 'ops@example.com' } }));
  }, 120_000);

  describe('AwsSolutionsChecks', () => {
    it('reports no unacknowledged errors and no warnings', () => {
      expect(describeViolations(new AwsSolutionsChecks().validateScope(app).violations)).toEqual([]);
    });
  });

  describe('ServerlessChecks', () => {
    it('reports no unacknowledged errors and no warnings', () => {
      expect(describeViolations(new ServerlessChecks().validateScope(app).violations)).toEqual([]);
    });
  });

  describe('acknowledgements', () => {
    it('give every acknowledged rule a written reason', () => {
      const all = acknowledgements(stack);
      expect(all.length).toBeGreaterThan(20);
      for (const a of all) expect(a.reason.trim().length, `${a.id} on ${a.path}`).toBeGreaterThanOrEqual(20);
    });
    it('are the reviewed list (path, rule, reason)', () => {
      const list = acknowledgements(stack)
        .filter((a) => !a.id.startsWith('CloudFormation-Validate::'))
        .map((a) => `${a.path.replace(/^TelematicsHub\//, '')}  ${a.id}  -- ${a.reason}`)
        .sort();
      expect(list).toMatchSnapshot();
    });
    it('refuse an acknowledgement without a reason', () => {
      const s = new Stack(new App(), 'S');
      expect(() => acknowledge(new Queue(s, 'Q'), { id: 'AwsSolutions-SQS3', reason: 'because' })).toThrow(/needs a real reason/);
    });
  });

  describe('the packs', () => {
    it('do catch a non-compliant resource (so a clean report means something)', () => {
      const bad = new App();
      new Queue(new Stack(bad, 'Bad'), 'Plain', { enforceSSL: false });
      const rules = new AwsSolutionsChecks().validateScope(bad).violations.map((v) => v.ruleName);
      expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
      expect(new ServerlessChecks().validateScope(bad).violations.map((v) => v.ruleName)).toContain('Serverless-SQSRedrivePolicy');
    });
  });
});
