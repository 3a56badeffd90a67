/**
 * The template's Fargate services as local processes: each container of a service's task
 * definition runs the command of its image's Dockerfile (the final stage's `CMD` and `ENV`; the
 * image holds the `tsc` build, i.e. this checkout's `dist/`) with exactly the container's
 * `Environment` plus the task role's credentials and the local endpoints. Container ports are bound
 * on free local ports (port-map.mjs), and the network load balancer's listeners are followed
 * (listener → target group → service → container port) to find where a device connects.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { roleCredentials } from './lambda-host.js';
import { asArray, isObject, type ResolvedTemplate, TemplateError } from './template.js';

const PORT_MAP = new URL('./port-map.mjs', import.meta.url).href;

export interface ContainerSpec {
  readonly serviceId: string;
  readonly taskDefinitionId: string;
  readonly name: string;
  readonly roleId: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly port: number; readonly protocol: 'tcp' | 'udp' }[];
  /** The image's `CMD` and `ENV`, read from its Dockerfile. */
  readonly command: readonly string[];
  readonly imageEnv: Readonly<Record<string, string>>;
  readonly stopTimeoutS: number;
}

export interface NlbRoute {
  readonly listenerId: string;
  readonly port: number;
  /** TCP, UDP or TCP_UDP. */
  readonly protocol: string;
  readonly containerName: string;
  readonly containerPort: number;
  readonly health?: { readonly port: number; readonly path: string; readonly protocol: string };
}

/** `CMD ["node", ...]` and `ENV K=V` of a Dockerfile's final stage. */
export function imageOf(dockerfile: string): { command: string[]; env: Record<string, string> } {
  const lines = dockerfile.split('\n').map((l) => l.trim());
  const final = lines.slice(lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true));
  const cmd = final.filter((l) => /^CMD\s/i.test(l)).pop();
  if (!cmd?.slice(3).trim().startsWith('[')) throw new TemplateError('the image has no exec-form CMD');
  const env: Record<string, string> = {};
  for (const l of final.filter((x) => /^ENV\s/i.test(x)))
    for (const m of l.slice(3).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) env[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  return { command: JSON.parse(cmd.slice(3).trim()), env };
}

export function containersOf(t: ResolvedTemplate, dockerfileOf: (image: string) => string): ContainerSpec[] {
  const out: ContainerSpec[] = [];
  for (const serviceId of t.ofType('AWS::ECS::Service')) {
    const service = (t.resolve(t.resource(serviceId).Properties ?? {}) ?? {}) as Record<string, unknown>;
    const taskDefinitionId = t.ownerOf(String(service.TaskDefinition)) ?? String(service.TaskDefinition);
    const task = (t.resolve(t.resource(taskDefinitionId).Properties ?? {}) ?? {}) as Record<string, unknown>;
    const roleId = t.ownerOf(String(task.TaskRoleArn ?? ''));
    if (!roleId) throw new TemplateError(`${taskDefinitionId}: no task role of the template`);
    for (const c of asArray(task.ContainerDefinitions).filter(isObject)) {
      const image = imageOf(dockerfileOf(String(c.Image)));
      out.push({
        serviceId,
        taskDefinitionId,
        name: String(c.Name),
        roleId,
        environment: Object.fromEntries(
          asArray(c.Environment).map((e) => [String((e as Record<string, unknown>).Name), String((e as Record<string, unknown>).Value)]),
        ),
        ports: asArray(c.PortMappings).map((p) => ({
          port: Number((p as Record<string, unknown>).ContainerPort),
          protocol: String((p as Record<string, unknown>).Protocol ?? 'tcp').toLowerCase() === 'udp' ? 'udp' : 'tcp',
        })),
        command: image.command,
        imageEnv: image.env,
        stopTimeoutS: Number(c.StopTimeout ?? 30),
      });
    }
  }
  return out;
}

/** Every NLB listener with the container port its target group reaches through an ECS service. */
export function nlbRoutes(t: ResolvedTemplate): NlbRoute[] {
  const props = (id: string) => (t.resolve(t.resource(id).Properties ?? {}) ?? {}) as Record<string, unknown>;
  const targets = new Map<string, { containerName: string; containerPort: number }>();
  for (const s of t.ofType('AWS::ECS::Service'))
    for (const lb of asArray(props(s).LoadBalancers).filter(isObject))
      targets.set(String(lb.TargetGroupArn), { containerName: String(lb.ContainerName), containerPort: Number(lb.ContainerPort) });
  return t.ofType('AWS::ElasticLoadBalancingV2::Listener').flatMap((id) => {
    const p = props(id);
    const forward = asArray(p.DefaultActions)
      .filter(isObject)
      .find((a) => a.Type === 'forward');
    const group = String(forward?.TargetGroupArn ?? '');
    const target = targets.get(group);
    const groupId = t.ownerOf(group);
    const g = groupId ? props(groupId) : {};
    if (!target) return [];
    const health =
      g.HealthCheckPort === undefined
        ? undefined
        : { port: Number(g.HealthCheckPort), path: String(g.HealthCheckPath ?? '/'), protocol: String(g.HealthCheckProtocol ?? 'TCP') };
    return [{ listenerId: id, port: Number(p.Port), protocol: String(p.Protocol), ...target, health }];
  });
}

async function freePort(protocol: 'tcp' | 'udp'): Promise<number> {
  if (protocol === 'udp') {
    const s = createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    const { port } = s.address();
    await new Promise<void>((resolve) => s.close(() => resolve()));
    return port;
  }
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export class ContainerTask {
  readonly logs: string[] = [];
  exit?: { code: number | null; signal: string | null };

  private constructor(
    readonly spec: ContainerSpec,
    private readonly child: ChildProcess,
    private readonly ports: ReadonlyMap<string, number>,
  ) {
    const keep = (d: Buffer) => this.logs.push(...d.toString().split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => {
      this.exit = { code, signal };
    });
  }

  /** Starts the container's command in `cwd` (where the image's files are: package root with `dist/`). */
  static async start(spec: ContainerSpec, cwd: string, serviceEnv: Readonly<Record<string, string>>): Promise<ContainerTask> {
    const ports = new Map<string, number>();
    for (const p of spec.ports) ports.set(`${p.protocol}:${p.port}`, await freePort(p.protocol));
    const [program, ...args] = spec.command;
    if (program !== 'node') throw new TemplateError(`${spec.name}: only node images are run (CMD ${JSON.stringify(spec.command)})`);
    const env = {
      ...spec.imageEnv,
      ...spec.environment,
      ...roleCredentials(spec.roleId),
      ...serviceEnv,
      AS_DEPLOYED_PORT_MAP: JSON.stringify(Object.fromEntries(ports)),
    };
    const child = spawn(process.execPath, ['--import', PORT_MAP, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    return new ContainerTask(spec, child, ports);
  }

  /** The local port a container port is bound on. */
  localPort(port: number, protocol: 'tcp' | 'udp'): number {
    const local = this.ports.get(`${protocol}:${port}`);
    if (local === undefined) throw new TemplateError(`container ${this.spec.name} maps no ${protocol} port ${port}`);
    return local;
  }

  /** Resolves once an HTTP health check on `port` answers 200; fails with the task's output if it exits first. */
  async healthy(route: NlbRoute, timeoutMs = 20_000): Promise<void> {
    const check = route.health ?? { port: route.containerPort, path: '/', protocol: 'TCP' };
    const url = `http://127.0.0.1:${this.localPort(check.port, 'tcp')}${check.path}`;
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.exit)
        throw new Error(
          `task ${this.spec.taskDefinitionId} (${this.spec.name}) exited (${this.exit.signal ?? this.exit.code}) before its health check passed: ${this.lastWords()}`,
        );
      const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`task ${this.spec.taskDefinitionId}: health check ${url} did not pass within ${timeoutMs} ms: ${this.lastWords()}`);
  }

  /** The task's last log lines, stack frames left out. */
  private lastWords(): string {
    return this.logs
      .filter((l) => !/^\s+at /.test(l))
      .slice(-3)
      .join(' | ');
  }

  /** What ECS does to stop a task: SIGTERM, then SIGKILL after the container's stop timeout. */
  async stop(timeoutS = this.spec.stopTimeoutS): Promise<{ code: number | null; signal: string | null }> {
    if (!this.exit) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutS * 1000);
      await exited;
      clearTimeout(timer);
    }
    return this.exit ?? { code: null, signal: null };
  }
}
