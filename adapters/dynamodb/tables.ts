import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { TableNames } from './client.js';

/**
 * Key schemas of the hub's tables (pk/sk; every item type's keys are listed in keys.ts). The CDK
 * stack declares the same (a template test checks that they agree); local mode creates them in
 * dynalite.
 */
export function tableDefinitions(names: TableNames): CreateTableCommandInput[] {
  const keyed = (TableName: string): CreateTableCommandInput => ({
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  });
  return [keyed(names.registry), keyed(names.messages)];
}

/** Attribute holding the expiry (epoch seconds) on items that expire. */
