import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, type TableNames } from '../../adapters/dynamodb/client.js';
import { type LocalDynamo, startDynalite } from '../../adapters/local/dynalite.js';

export const TEST_TABLES: TableNames = { registry: 'test-registry', messages: 'test-messages' };

/** An in-memory dynalite with the hub's tables, and a document client on it. */
export async function startTestDynamo(): Promise<{ dynamo: LocalDynamo; doc: DynamoDBDocumentClient; close(): Promise<void> }> {
  const dynamo = await startDynalite(undefined, TEST_TABLES);
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  return {
    dynamo,
    doc,
    async close() {
      doc.destroy();
      await dynamo.close();
    },
  };
}

/** A clock the test moves. */
export function manualClock(start = 1_800_000_000): { now(): number; set(t: number): void; advance(s: number): void } {
  let t = start;
  return { now: () => t, set: (v) => (t = v), advance: (s) => (t += s) };
}

/** The environment the Lambda bundles read, pointed at a local DynamoDB (plus what a test adds). */
export function lambdaEnv(dynamoEndpoint: string, extra: Record<string, string>): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    HUB_DYNAMODB_ENDPOINT: dynamoEndpoint,
    HUB_TABLE_REGISTRY: TEST_TABLES.registry,
    HUB_TABLE_MESSAGES: TEST_TABLES.messages,
    HUB_ADMIN_TOKEN: 'aws-admin-token',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...extra,
  };
}
