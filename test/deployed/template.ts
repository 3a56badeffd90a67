/**
 * The synthesized CloudFormation template as a deployment would see it: every `Ref`, `Fn::GetAtt`,
 * `Fn::Join`, `Fn::Sub`, `Fn::Select` and `Fn::Split` resolved to the physical names and ARNs
 * CloudFormation would give the resources (names generated from the stack name and logical id,
 * one fake account and region), and the way back from a name, ARN or URL to its logical id.
 */
import { createHash } from 'node:crypto';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
}

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

/** The property holding a resource's own name, per type (otherwise CloudFormation generates one). */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::ApiGateway::Stage': 'StageName',
};

/** Types whose `Ref` is not the physical name but an ARN or URL. */
const REF_ATTRIBUTE: Record<string, string> = {
  'AWS::SQS::Queue': 'QueueUrl',
  'AWS::SecretsManager::Secret': 'Arn',
  'AWS::SNS::Topic': 'TopicArn',
};

/** Attributes (ARNs, URLs) by which calls name a resource, per type. */
const OWNED_ATTRIBUTES: Record<string, string[]> = {
  'AWS::DynamoDB::Table': ['Arn'],
  'AWS::DynamoDB::GlobalTable': ['Arn'],
  'AWS::SQS::Queue': ['Arn', 'QueueUrl'],
  'AWS::Events::EventBus': ['Arn'],
  'AWS::Events::Rule': ['Arn'],
  'AWS::SecretsManager::Secret': ['Arn'],
  'AWS::Lambda::Function': ['Arn'],
  'AWS::IAM::Role': ['Arn'],
  'AWS::SNS::Topic': ['TopicArn'],
};

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** An error in the template or in what the stand-ins can do with it. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

const hash = (text: string, n: number) => createHash('sha256').update(text).digest('hex').slice(0, n);

export class ResolvedTemplate {
  /** Names, ARNs and URLs of the template's resources → logical id. */
  private readonly owners = new Map<string, string>();

  constructor(
    readonly template: CfnTemplate,
    readonly stackName: string,
    /** Base of queue URLs (`<base>/<account>/<name>`): the local SQS endpoint. */
    private readonly queueBase: string,
  ) {
    for (const [id, r] of Object.entries(template.Resources)) {
      this.owners.set(this.name(id), id);
      for (const attr of OWNED_ATTRIBUTES[r.Type] ?? []) this.owners.set(this.getAtt(id, attr), id);
    }
  }

  resource(id: string): CfnResource {
    const r = this.template.Resources[id];
    if (!r) throw new TemplateError(`no resource ${id} in the template`);
    return r;
  }

  /** Logical ids of the resources of one type. */
  ofType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);
  }

  /** The physical name CloudFormation gives a resource. */
  name(id: string): string {
    const r = this.resource(id);
    const own = NAME_PROPERTY[r.Type] ? r.Properties?.[NAME_PROPERTY[r.Type]] : undefined;
    if (own !== undefined) return this.str(own);
    if (r.Type === 'AWS::ApiGateway::RestApi' || r.Type.startsWith('AWS::ApiGateway::')) return hash(id, 10);
    return `${this.stackName}-${id}-${hash(id, 12).toUpperCase()}`.slice(0, 255);
  }

  ref(id: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.stackName,
      'AWS::StackId': `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${this.stackName}/${hash(this.stackName, 8)}`,
    };
    if (pseudo[id]) return pseudo[id];
    const parameter = this.template.Parameters?.[id];
    if (parameter) return this.str(parameter.Default ?? '');
    const r = this.resource(id);
    return REF_ATTRIBUTE[r.Type] ? this.getAtt(id, REF_ATTRIBUTE[r.Type]) : this.name(id);
  }

  getAtt(id: string, attr: string): string {
    const r = this.resource(id);
    const name = this.name(id);
    const arn = (service: string, resource: string, region = REGION) => `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
    switch (`${r.Type}.${attr}`) {
      case 'AWS::DynamoDB::Table.Arn':
      case 'AWS::DynamoDB::GlobalTable.Arn':
        return arn('dynamodb', `table/${name}`);
      case 'AWS::SQS::Queue.Arn':
        return arn('sqs', name);
      case 'AWS::SQS::Queue.QueueUrl':
        return `${this.queueBase}/${ACCOUNT}/${name}`;
      case 'AWS::SQS::Queue.QueueName':
        return name;
      case 'AWS::Events::EventBus.Arn':
        return arn('events', `event-bus/${name}`);
      case 'AWS::Events::EventBus.Name':
        return name;
      case 'AWS::Events::Rule.Arn': {
        const bus = r.Properties?.EventBusName === undefined ? 'default' : this.str(r.Properties.EventBusName).replace(/^.*event-bus\//, '');
        return arn('events', bus === 'default' ? `rule/${name}` : `rule/${bus}/${name}`);
      }
      case 'AWS::SecretsManager::Secret.Arn':
        return arn('secretsmanager', `secret:${name}-${hash(name, 6)}`);
      case 'AWS::Lambda::Function.Arn':
        return arn('lambda', `function:${name}`);
      case 'AWS::IAM::Role.Arn':
        return `arn:aws:iam::${ACCOUNT}:role/${name}`;
      case 'AWS::Logs::LogGroup.Arn':
        return arn('logs', `log-group:${name}:*`);
      case 'AWS::SNS::Topic.TopicArn':
        return arn('sns', name);
      case 'AWS::ApiGateway::RestApi.RootResourceId':
        return `${name}-root`;
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName':
        return `${name.toLowerCase().slice(0, 32)}.elb.${REGION}.amazonaws.com`;
      default:
        if (attr === 'Arn') return arn(r.Type.split('::')[1].toLowerCase(), `${r.Type.split('::')[2].toLowerCase()}/${name}`);
        return `${id}.${attr}`;
    }
  }

  /** A value with every intrinsic function resolved (`AWS::NoValue` leaves the key or item out). */
  resolve(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.resolve(x)).filter((x) => x !== NO_VALUE);
    if (!isObject(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return this.intrinsic(keys[0], v[keys[0]]);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const x = this.resolve(v[k]);
      if (x !== NO_VALUE) out[k] = x;
    }
    return out;
  }

  /** A value resolved to a string (numbers and booleans as CloudFormation stringifies them). */
  str(v: unknown): string {
    const x = this.resolve(v);
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return String(x);
    throw new TemplateError(`expected a string, got ${JSON.stringify(x)}`);
  }

  private intrinsic(fn: string, arg: unknown): unknown {
    const list = (x: unknown) => asArray(this.resolve(x));
    switch (fn) {
      case 'Ref':
        return arg === 'AWS::NoValue' ? NO_VALUE : this.ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, attr] = typeof arg === 'string' ? [arg.split('.')[0], arg.split('.').slice(1).join('.')] : (arg as string[]);
        return this.getAtt(id, attr);
      }
      case 'Fn::Join': {
        const [sep, items] = arg as [string, unknown];
        return list(items)
          .map((x) => this.str(x))
          .join(sep);
      }
      case 'Fn::Select': {
        const [i, items] = arg as [unknown, unknown];
        return list(items)[Number(this.resolve(i))];
      }
      case 'Fn::Split': {
        const [sep, s] = arg as [string, unknown];
        return this.str(s).split(sep);
      }
      case 'Fn::Sub': {
        const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
        return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
          if (name in vars) return this.str(vars[name]);
          return name.includes('.') ? this.getAtt(name.split('.')[0], name.split('.').slice(1).join('.')) : this.ref(name);
        });
      }
      case 'Fn::GetAZs':
        return [`${REGION}a`, `${REGION}b`, `${REGION}c`];
      case 'Fn::Base64':
        return Buffer.from(this.str(arg)).toString('base64');
      default:
        throw new TemplateError(`${fn} is not supported by the as-deployed test's template resolver`);
    }
  }

  /** The logical id of the resource a name, ARN or URL belongs to. */
  ownerOf(physical: string): string | undefined {
    return this.owners.get(physical);
  }

  /** `LogicalId` for a resource of the template, else the ARN marked as foreign. */
  describe(physical: string): string {
    const id = this.ownerOf(physical);
    return id ? `${id} (${physical})` : `${physical}, which is no resource of the template`;
  }
}

const NO_VALUE = Symbol('AWS::NoValue');
