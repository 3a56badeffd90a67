import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface HubStorageProps {
  /**
   * What happens to the tables when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The hub's DynamoDB tables (keys as in adapters/dynamodb/tables.ts): `registry` (devices,
 * channels, ident claims, counters, telemetry) and `messages` (message packs with a TTL).
 * On-demand billing, point-in-time recovery, encryption at rest.
 */
export class HubStorage extends Construct {
  readonly registry: TableV2;
  readonly messages: TableV2;

  constructor(scope: Construct, id: string, props: HubStorageProps = {}) {
    super(scope, id);
    const common = {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    };
    this.registry = new TableV2(this, 'Registry', common);
    this.messages = new TableV2(this, 'Messages', { ...common, timeToLiveAttribute: 'ttl' });
  }
}
