import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AWS_CLIENT_DEFAULTS } from './timeouts.js';

/** Settings a Lambda or the listener task reads from its environment (set by the CDK stack). */
export interface AwsSettings {
  readonly region?: string;
  readonly publicHost: string;
  readonly portRange: readonly [number, number];
  readonly queueUrl?: string;
  readonly adminSecretArn?: string;
}

export function awsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsSettings {
  const [lo, hi] = (env.HUB_PORT_RANGE ?? '20000-20019').split('-').map(Number);
  return {
    region: env.AWS_REGION,
    publicHost: env.HUB_PUBLIC_HOST ?? 'localhost',
    portRange: [lo, hi ?? lo],
    queueUrl: env.HUB_INGEST_QUEUE_URL,
    adminSecretArn: env.HUB_ADMIN_SECRET_ARN,
  };
}

/** The admin token: `HUB_ADMIN_TOKEN` if set, else the Secrets Manager secret the stack generated. */
export async function loadAdminToken(settings: AwsSettings, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.HUB_ADMIN_TOKEN) return env.HUB_ADMIN_TOKEN;
  if (!settings.adminSecretArn) throw new Error('neither HUB_ADMIN_TOKEN nor HUB_ADMIN_SECRET_ARN is set');
  const client = new SecretsManagerClient({ region: settings.region, ...AWS_CLIENT_DEFAULTS });
  const r = await client.send(new GetSecretValueCommand({ SecretId: settings.adminSecretArn }));
  if (!r.SecretString) throw new Error('the admin token secret is empty');
  return r.SecretString;
}
