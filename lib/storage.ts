import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, Capacity, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** Provisioned capacity with target-tracking autoscaling, for steady fleets (cheaper per unit than on-demand). */
export interface HubProvisionedCapacity {
  /** Write capacity units of each table, autoscaled between these bounds. */
  readonly minWriteCapacity: number;
  readonly maxWriteCapacity: number;
  readonly minReadCapacity: number;
  readonly maxReadCapacity: number;
  /** @default 70 */
  readonly targetUtilizationPercent?: number;
}

export interface HubStorageProps {
  /**
   * What happens to the tables when the stack is deleted. With RETAIN the tables also get
   * deletion protection.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Capacity mode of both tables.
   * @default on-demand (pay per request)
   */
  readonly provisioned?: HubProvisionedCapacity;
  /**
   * Point-in-time recovery of the messages table (the registry always has it). History is
   * append-only, content-keyed and, with cold history, copied to S3 nightly; PITR on it costs as
   * much as its storage.
   * @default true
   */
  readonly messagesPointInTimeRecovery?: boolean;
}

/** Billing of the hub's tables: on-demand unless provisioned bounds are given. */
export function tableBilling(provisioned?: HubProvisionedCapacity): Billing {
  if (!provisioned) return Billing.onDemand();
  const target = provisioned.targetUtilizationPercent ?? 70;
  return Billing.provisioned({
    readCapacity: Capacity.autoscaled({ minCapacity: provisioned.minReadCapacity, maxCapacity: provisioned.maxReadCapacity, targetUtilizationPercent: target }),
    writeCapacity: Capacity.autoscaled({
      minCapacity: provisioned.minWriteCapacity,
      maxCapacity: provisioned.maxWriteCapacity,
      targetUtilizationPercent: target,
    }),
  });
}

/**
 * The hub's DynamoDB tables (keys as in adapters/dynamodb/tables.ts): `registry` (devices,
 * channels, ident claims, counters, telemetry, tokens, commands, streams) and `messages` (message
 * packs with a TTL). Point-in-time recovery (of the messages table: optional), encryption at rest
 * (AWS managed key), deletion protection while the data is retained.
 */
export class HubStorage extends Construct {
  readonly registry: TableV2;
  readonly messages: TableV2;

  constructor(scope: Construct, id: string, props: HubStorageProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const common = {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: tableBilling(props.provisioned),
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    };
    this.registry = new TableV2(this, 'Registry', { ...common, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } });
    this.messages = new TableV2(this, 'Messages', {
      ...common,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.messagesPointInTimeRecovery ?? true },
      timeToLiveAttribute: 'ttl',
    });
  }
}
