import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV, type HubEnv, hubEnv } from '../../core/env.js';
import { AWS_CLIENT_DEFAULTS } from './timeouts.js';

/** Settings a Lambda or the listener task reads from its environment (set by the CDK stack). */
export interface AwsSettings {
  readonly region?: string;
  readonly publicHost: string;
  readonly portRange: readonly [number, number];
  readonly queueUrl?: string;
  readonly adminSecretArn?: string;
}

export function awsSettingsFromEnv(env: HubEnv = hubEnv()): AwsSettings {
  return {
    region: process.env.AWS_REGION,
    publicHost: env[ENV.publicHost],
    portRange: env[ENV.portRange],
    queueUrl: env[ENV.ingestQueueUrl],
    adminSecretArn: env[ENV.adminSecretArn],
  };
}

/** The admin token: `HUB_ADMIN_TOKEN` if set, else the Secrets Manager secret the stack generated. */
export async function loadAdminToken(settings: AwsSettings, env: HubEnv = hubEnv()): Promise<string> {
  const token = env[ENV.adminToken];
  if (token) return token;
  if (!settings.adminSecretArn) throw new Error('neither HUB_ADMIN_TOKEN nor HUB_ADMIN_SECRET_ARN is set');
  const client = new SecretsManagerClient({ region: settings.region, ...AWS_CLIENT_DEFAULTS });
  const r = await client.send(new GetSecretValueCommand({ SecretId: settings.adminSecretArn }));
  if (!r.SecretString) throw new Error('the admin token secret is empty');
  return r.SecretString;
}
