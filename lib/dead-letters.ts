import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from './nag.js';

/**
 * A dead-letter queue (`DeadLetters` under `scope`): SSE-SQS, TLS only, 14 days of retention. A DLQ
 * has no DLQ of its own, so cdk-nag's SQS3 and SQSRedrivePolicy findings are acknowledged with the
 * caller's reasons (whose failures land here, how they are replayed).
 */
export function deadLetterQueue(scope: Construct, why: { readonly notRedrivenFurther: string; readonly replayedBy: string }): Queue {
  const queue = new Queue(scope, 'DeadLetters', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(queue, { id: 'AwsSolutions-SQS3', reason: why.notRedrivenFurther }, { id: 'Serverless-SQSRedrivePolicy', reason: why.replayedBy });
  return queue;
}
