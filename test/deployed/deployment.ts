/**
 * The synthesized stack "deployed" on this machine, wired as its template wires it: the local AWS
 * endpoint (with IAM checks) and dynalite, the Lambda functions behind their triggers (API Gateway,
 * SQS event source mappings, EventBridge rules and schedules), the Fargate services' containers
 * behind the network load balancer. Whatever would fail on AWS is collected as a problem naming its
 * cause; `verify()` throws them.
 */
import { spawnSync } from 'node:child_process';
import { packageRoot } from '../../lib/paths.js';
import { LocalApiGateway } from './api-gateway.js';
import { apiModel } from './api-model.js';
import { AwsEndpoint } from './aws-endpoint.js';
import { type LocalTables, startTables } from './dynamo.js';
import { QueuePoller, queueMappingsOf } from './event-source.js';
import { busEvent, type LocalRule, matchesPattern, rulesOf, scheduledEvent, targetPayload } from './events.js';
import { arnMatches, IamPolicies } from './iam.js';
import { functionSpec, type InvokeOutcome, LambdaHost } from './lambda-host.js';
import { ContainerTask, containersOf, type NlbRoute, nlbRoutes } from './listener-task.js';
import { LocalQueues } from './sqs.js';
import type { Synthesized } from './synth.js';
import { type CfnTemplate, ResolvedTemplate } from './template.js';

/** A change to the template before the run (a planted defect). */
export type TemplateTransform = (template: CfnTemplate) => void;

export class Deployment {
  readonly problems: string[] = [];
  /** What EventBridge rules delivered to functions: rule, function, payload. */
  readonly deliveries: { readonly ruleId: string; readonly functionId: string; readonly payload: unknown }[] = [];
  private readonly hosts = new Map<string, LambdaHost>();
  private readonly pending = new Set<Promise<unknown>>();
  readonly pollers: QueuePoller[] = [];
  private readonly gateways: LocalApiGateway[] = [];
  private readonly tasks: ContainerTask[] = [];
  readonly rules: LocalRule[];
  readonly iam: IamPolicies;
  readonly queues: LocalQueues;

  private constructor(
    readonly synth: Synthesized,
    readonly t: ResolvedTemplate,
    readonly endpoint: AwsEndpoint,
    readonly tables: LocalTables,
  ) {
    this.rules = rulesOf(t);
    this.iam = new IamPolicies(t);
    this.queues = new LocalQueues(t);
  }

  static async start(synth: Synthesized, transform?: TemplateTransform): Promise<Deployment> {
    const template = structuredClone(synth.template);
    transform?.(template);
    const endpoint = await AwsEndpoint.listen();
    const t = new ResolvedTemplate(template, synth.stackName, endpoint.url);
    const d = new Deployment(synth, t, endpoint, await startTables(t));
    endpoint.serve({ template: t, iam: d.iam, queues: d.queues, dynamodb: d.tables.endpoint, putEvents: (bus, entries) => d.putEvents(bus, entries) });
    d.startPollers();
    for (const api of t.ofType('AWS::ApiGateway::RestApi')) {
      const gw = await LocalApiGateway.start(apiModel(t, api), {
        invoke: (fn, event) => d.invoke(fn, event),
        forbidden: (fn, principal, source) => d.forbidden(fn, principal, source),
        problem: (text) => d.problems.push(text),
      });
      d.gateways.push(gw);
    }
    return d;
  }

  /** The (only) REST API's base URL, stage included. */
  get apiUrl(): string {
    if (this.gateways.length !== 1) throw new Error(`the template has ${this.gateways.length} REST APIs`);
    return this.gateways[0].url;
  }

  get gateway(): LocalApiGateway {
    return this.gateways[0];
  }

  /** The value of the template's (only) secret, as an operator reads it. */
  secret(): string {
    const values = [...this.endpoint.secrets.values()];
    if (values.length !== 1) throw new Error(`the template has ${values.length} secrets`);
    return values[0];
  }

  host(functionId: string): LambdaHost {
    let h = this.hosts.get(functionId);
    if (!h) {
      h = new LambdaHost(
        functionSpec(this.t, functionId, (key) => this.synth.assetDir(key)),
        this.endpoint.environment(),
      );
      this.hosts.set(functionId, h);
    }
    return h;
  }

  invoke(functionId: string, event: unknown): Promise<InvokeOutcome> {
    return this.host(functionId).invoke(event);
  }

  /** Why a service principal may not invoke a function from a source ARN (no `AWS::Lambda::Permission` allows it). */
  forbidden(functionId: string, principal: string, sourceArn: string): string | undefined {
    const fn = [this.t.name(functionId), this.t.getAtt(functionId, 'Arn')];
    const allowed = this.t.ofType('AWS::Lambda::Permission').some((id) => {
      const p = (this.t.resolve(this.t.resource(id).Properties ?? {}) ?? {}) as Record<string, unknown>;
      return (
        fn.includes(String(p.FunctionName)) &&
        p.Principal === principal &&
        ['lambda:InvokeFunction', 'lambda:*'].includes(String(p.Action)) &&
        (p.SourceArn === undefined || arnMatches(String(p.SourceArn), sourceArn))
      );
    });
    return allowed ? undefined : `${principal} may not invoke ${functionId} from ${sourceArn}: no AWS::Lambda::Permission of the template allows it`;
  }

  private startPollers(): void {
    const { mappings, unsupported } = queueMappingsOf(this.t, this.queues);
    this.problems.push(...unsupported.map((u) => `event source mapping not run: ${u}`));
    for (const m of mappings) {
      const poller = new QueuePoller(m, {
        queues: this.queues,
        endpoint: this.endpoint,
        roleOf: (fn) => functionSpec(this.t, fn, (key) => this.synth.assetDir(key)).roleId,
        timeoutOf: (fn) => functionSpec(this.t, fn, (key) => this.synth.assetDir(key)).timeoutS,
        invoke: (fn, event) => this.invoke(fn, event),
        problem: (text) => this.problems.push(text),
      });
      if (poller.start()) this.pollers.push(poller);
    }
  }

  /** EventBridge: each entry to the targets of every enabled rule of its bus whose pattern matches it. */
  private putEvents(busArn: string, entries: Record<string, unknown>[]): void {
    const busName = busArn.replace(/^.*event-bus\//, '');
    for (const entry of entries) {
      const event = busEvent(entry as Parameters<typeof busEvent>[0]);
      const matched = this.rules.filter((r) => r.busName === busName && r.enabled && r.pattern && matchesPattern(r.pattern, event));
      if (matched.length === 0) {
        const detail = event.detail && typeof event.detail === 'object' ? Object.keys(event.detail).slice(0, 6).join(', ') : '';
        const type = (event.detail as { type?: unknown } | null)?.type;
        this.problems.push(
          `EventBridge: an event on bus ${busName} (source ${event.source}, detail-type ${event['detail-type']}${type === undefined ? '' : `, detail.type ${JSON.stringify(type)}`}; detail: ${detail}) matched no rule, so it reached no target`,
        );
      }
      for (const rule of matched) for (const target of rule.targets) this.track(this.deliver(rule, target, targetPayload(target, event)));
    }
  }

  private async deliver(rule: LocalRule, target: LocalRule['targets'][number], payload: unknown): Promise<InvokeOutcome | undefined> {
    const fn = this.t.ownerOf(target.arn);
    const queue = this.queues.find(target.arn);
    if (queue) {
      this.queues.send(queue, JSON.stringify(payload));
      return undefined;
    }
    if (!fn || this.t.resource(fn).Type !== 'AWS::Lambda::Function') {
      this.problems.push(`rule ${rule.logicalId}: target ${target.id} (${target.arn}) is neither a function nor a queue of the template`);
      return undefined;
    }
    const why = this.forbidden(fn, 'events.amazonaws.com', rule.arn);
    if (why) {
      this.problems.push(`rule ${rule.logicalId}: ${why}`);
      return undefined;
    }
    this.deliveries.push({ ruleId: rule.logicalId, functionId: fn, payload });
    const outcome = await this.invoke(fn, payload);
    if (!outcome.ok) this.problems.push(`${fn} (invoked by rule ${rule.logicalId}) failed: ${outcome.errorType}: ${outcome.errorMessage}`);
    return outcome;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  /** Waits for the asynchronous invocations under way (EventBridge targets). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Runs a scheduled rule now (as its `ScheduleExpression` would): every target with its input. */
  async runSchedule(ruleId: string): Promise<(InvokeOutcome | undefined)[]> {
    const rule = this.rules.find((r) => r.logicalId === ruleId);
    if (!rule?.schedule) throw new Error(`${ruleId} is not a scheduled rule`);
    return Promise.all(rule.targets.map((target) => this.track(this.deliver(rule, target, targetPayload(target, scheduledEvent(rule))))));
  }

  /** Builds the container images' content (`dist/`, as the Dockerfile's `tsc` stage does) and starts every service's containers. */
  async startServices(): Promise<ContainerTask[]> {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: packageRoot(), encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
    const started: ContainerTask[] = [];
    for (const spec of containersOf(this.t, (image) => this.synth.dockerfile(image))) {
      const task = await ContainerTask.start(spec, packageRoot(), this.endpoint.environment());
      this.tasks.push(task);
      started.push(task);
    }
    const routes = nlbRoutes(this.t);
    for (const task of started) {
      const route = routes.find((r) => r.containerName === task.spec.name);
      if (route) await task.healthy(route);
    }
    return started;
  }

  /** Where a device reaches a load balancer port: the NLB listener of that port and protocol, followed to its container. */
  device(port: number, transport: 'tcp' | 'udp'): { route: NlbRoute; localPort: number } {
    const routes = nlbRoutes(this.t).filter((r) => r.port === port);
    const route = routes.find((r) => r.protocol === transport.toUpperCase() || r.protocol === 'TCP_UDP');
    if (!route)
      throw new Error(
        `the network load balancer has no ${transport.toUpperCase()} listener on port ${port} (${routes.map((r) => r.protocol).join(', ') || 'none on that port'})`,
      );
    const task = this.tasks.find((x) => x.spec.name === route.containerName && !x.exit);
    if (!task) throw new Error(`no running container ${route.containerName} behind the listener on port ${port}`);
    return { route, localPort: task.localPort(route.containerPort, transport) };
  }

  /** The NLB listeners followed to their containers. */
  routes(): NlbRoute[] {
    return nlbRoutes(this.t);
  }

  async pausePollers(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.pause()));
  }

  resumePollers(): void {
    for (const p of this.pollers) p.resume();
  }

  /** Every problem: IAM denials, unroutable events, failed invocations, missing permissions. */
  issues(): string[] {
    return [...new Set([...this.endpoint.denied(), ...this.problems])];
  }

  /** Throws the problems the run met, one per line. */
  verify(): void {
    const issues = this.issues();
    if (issues.length > 0) throw new Error(`the deployment would fail on AWS:\n- ${issues.join('\n- ')}`);
  }

  /** Logs of a function (for diagnosing a failure). */
  logsOf(functionId: string): string[] {
    return this.hosts.get(functionId)?.logs ?? [];
  }

  /** Functions that were invoked (started) in this run. */
  functionIds(): string[] {
    return [...this.hosts.keys()];
  }

  async stop(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop()));
    await Promise.all(this.tasks.map((x) => x.stop(5)));
    await this.settled();
    await Promise.all([...this.hosts.values()].map((h) => h.stop()));
    await Promise.all(this.gateways.map((g) => g.close()));
    await this.endpoint.close();
    await this.tables.close();
  }
}
