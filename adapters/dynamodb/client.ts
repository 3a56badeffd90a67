import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV, type HubEnv, hubEnv } from '../../core/env.js';
import { AWS_CLIENT_DEFAULTS } from '../aws/timeouts.js';

export interface DynamoConfig {
  /** Local endpoint (dynalite); omitted on AWS. */
  readonly endpoint?: string;
  readonly region?: string;
  readonly tables: TableNames;
}

export interface TableNames {
  readonly registry: string;
  readonly messages: string;
}

export function tableNamesFromEnv(env: HubEnv = hubEnv()): TableNames {
  return { registry: env[ENV.tableRegistry], messages: env[ENV.tableMessages] };
}

export function createDocumentClient(
  config: Pick<DynamoConfig, 'endpoint' | 'region'>,
  extra: DynamoDBClientConfig = {},
  configure?: (client: DynamoDBClient) => void,
): DynamoDBDocumentClient {
  const local = config.endpoint !== undefined;
  const client = new DynamoDBClient({
    ...(local
      ? { endpoint: config.endpoint, region: config.region ?? 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : { region: config.region }),
    ...AWS_CLIENT_DEFAULTS,
    ...extra,
  });
  configure?.(client);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false } });
}
