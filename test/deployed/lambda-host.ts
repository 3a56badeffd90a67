/**
 * The template's Lambda functions, each in its own child process (lambda-runtime.mjs) started on
 * first invocation (a cold start): the bundled code of its asset, the handler the template names,
 * exactly the template's environment plus what the Lambda service adds (region, function name,
 * the role's credentials) and the local endpoints. Invocations run one at a time per function,
 * bounded by the template's timeout.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isObject, REGION, type ResolvedTemplate, TemplateError } from './template.js';

const RUNTIME = fileURLToPath(new URL('./lambda-runtime.mjs', import.meta.url));

export interface FunctionSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** Logical id of the execution role. */
  readonly roleId: string;
  readonly handler: string;
  readonly runtime: string;
  /** The bundled code (`asset.<hash>` of the cloud assembly). */
  readonly codeDir: string;
  readonly timeoutS: number;
  readonly memoryMiB: number;
  /** `Environment.Variables` of the template, resolved. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logging: { readonly format?: string; readonly level?: string };
}

export type InvokeOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly errorType: string; readonly errorMessage: string };

/** The function behind a `Fn::GetAtt [fn, Arn]`-style ARN, with its code found through the asset hash. */
export function functionSpec(t: ResolvedTemplate, id: string, assetDir: (s3Key: string) => string): FunctionSpec {
  const p = (t.resolve(t.resource(id).Properties ?? {}) ?? {}) as Record<string, unknown>;
  const code = p.Code as Record<string, unknown> | undefined;
  if (!code || typeof code.S3Key !== 'string') throw new TemplateError(`${id}: only S3 code assets are supported (Code.S3Key)`);
  const role = String(p.Role ?? '');
  const roleId = t.ownerOf(role);
  if (!roleId) throw new TemplateError(`${id}: role ${role} is not a role of the template`);
  const variables = isObject(p.Environment) && isObject(p.Environment.Variables) ? p.Environment.Variables : {};
  const logging = isObject(p.LoggingConfig) ? p.LoggingConfig : {};
  return {
    logicalId: id,
    name: t.name(id),
    arn: t.getAtt(id, 'Arn'),
    roleId,
    handler: String(p.Handler ?? 'index.handler'),
    runtime: String(p.Runtime ?? ''),
    codeDir: assetDir(code.S3Key),
    timeoutS: Number(p.Timeout ?? 3),
    memoryMiB: Number(p.MemorySize ?? 128),
    environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
    logging: { format: logging.LogFormat as string | undefined, level: logging.ApplicationLogLevel as string | undefined },
  };
}

/** Credentials of a role: the access key id is the role's logical id, which the local endpoint reads back. */
export function roleCredentials(roleId: string): Record<string, string> {
  return { AWS_ACCESS_KEY_ID: roleId, AWS_SECRET_ACCESS_KEY: `secret-of-${roleId}`, AWS_SESSION_TOKEN: `session-of-${roleId}` };
}

interface Pending {
  readonly id: string;
  readonly resolve: (o: InvokeOutcome) => void;
}

export class LambdaHost {
  private child?: ChildProcess;
  private ready?: Promise<InvokeOutcome | undefined>;
  private pending?: Pending;
  private chain: Promise<unknown> = Promise.resolve();
  /** The function's stdout and stderr, line by line (its logs). */
  readonly logs: string[] = [];
  invocations = 0;

  constructor(
    readonly spec: FunctionSpec,
    /** Endpoint variables and the like, added to what the Lambda service sets. */
    private readonly serviceEnv: Readonly<Record<string, string>>,
  ) {}

  /** The environment the function's process gets. */
  environment(): Record<string, string> {
    const s = this.spec;
    return {
      ...s.environment,
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_LAMBDA_FUNCTION_NAME: s.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(s.memoryMiB),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${s.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `2025/01/01/[$LATEST]${randomUUID().replaceAll('-', '')}`,
      AWS_EXECUTION_ENV: `AWS_Lambda_${s.runtime}`,
      ...(s.logging.format ? { AWS_LAMBDA_LOG_FORMAT: s.logging.format } : {}),
      ...(s.logging.level ? { AWS_LAMBDA_LOG_LEVEL: s.logging.level } : {}),
      LAMBDA_TASK_ROOT: s.codeDir,
      _HANDLER: s.handler,
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      ...roleCredentials(s.roleId),
      ...this.serviceEnv,
    };
  }

  /** One invocation (queued behind the previous one, as one execution environment does). */
  invoke(event: unknown): Promise<InvokeOutcome> {
    const run = this.chain.then(() => this.invokeNow(event));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private start(): Promise<InvokeOutcome | undefined> {
    const child = fork(RUNTIME, [], { cwd: this.spec.codeDir, env: this.environment(), execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child = child;
    const keep = (d: Buffer) => {
      this.logs.push(...d.toString().split('\n').filter(Boolean));
      if (this.logs.length > 2000) this.logs.splice(0, this.logs.length - 2000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (m: unknown) => {
      if (isObject(m) && m.type === 'result' && this.pending?.id === m.id) {
        const p = this.pending;
        this.pending = undefined;
        p?.resolve(m.ok ? { ok: true, result: m.result } : { ok: false, errorType: String(m.errorType), errorMessage: String(m.errorMessage) });
      }
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) {
        this.child = undefined;
        this.ready = undefined;
      }
      const p = this.pending;
      this.pending = undefined;
      p?.resolve({ ok: false, errorType: 'Runtime.ExitError', errorMessage: `the runtime exited (${signal ?? code}): ${this.logs.slice(-5).join(' | ')}` });
    });
    return new Promise((resolve) => {
      child.once('message', (m: unknown) => {
        if (isObject(m) && m.type === 'init-error') resolve({ ok: false, errorType: String(m.errorType), errorMessage: String(m.errorMessage) });
        else resolve(undefined);
      });
      child.once('exit', (code) => resolve({ ok: false, errorType: 'Runtime.ExitError', errorMessage: `the runtime exited during init (${code})` }));
    });
  }

  private async invokeNow(event: unknown): Promise<InvokeOutcome> {
    this.ready ??= this.start();
    const initError = await this.ready;
    if (initError) {
      this.ready = undefined;
      this.child?.kill('SIGKILL');
      return initError;
    }
    this.invocations++;
    const id = randomUUID();
    const timeoutMs = this.spec.timeoutS * 1000;
    return new Promise<InvokeOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.child?.kill('SIGKILL');
        resolve({ ok: false, errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${this.spec.timeoutS.toFixed(2)} seconds` });
      }, timeoutMs);
      this.pending = {
        id,
        resolve: (o) => {
          clearTimeout(timer);
          resolve(o);
        },
      };
      this.child?.send({ type: 'invoke', id, arn: this.spec.arn, deadline: Date.now() + timeoutMs, event });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
