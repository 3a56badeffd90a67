/**
 * Planted defects: changes to the template that break the deployment the way a forgotten line in
 * `lib/` would, each found by its logical id or content (not by a fixed name), and the short
 * scenarios that show them.
 */

import type { StreamReceiver } from '../helpers/stream-receiver.js';
import type { Deployment } from './deployment.js';
import { call, teltonikaTcp, until } from './hub-client.js';
import { asArray, type CfnTemplate, isObject } from './template.js';

type Props = Record<string, unknown>;

const resources = (t: CfnTemplate, type: string, id: RegExp) =>
  Object.entries(t.Resources)
    .filter(([k, r]) => r.Type === type && id.test(k))
    .map(([k, r]) => [k, (r.Properties ?? {}) as Props] as const);

function only<T>(list: readonly T[], what: string): T {
  if (list.length !== 1) throw new Error(`${list.length} matches for ${what}`);
  return list[0];
}

/** Removes a variable from a function's `Environment.Variables`. */
export function withoutFunctionVariable(functionId: RegExp, name: string) {
  return (t: CfnTemplate): void => {
    const [, p] = only(resources(t, 'AWS::Lambda::Function', functionId), `function ${functionId}`);
    const vars = (p.Environment as { Variables: Props }).Variables;
    if (!(name in vars)) throw new Error(`${name} is not set on ${functionId}`);
    delete vars[name];
  };
}

/** Removes actions from the statements of a role's policies that act on a resource (by its logical id). */
export function withoutGrant(roleId: RegExp, resourceId: RegExp, actions: readonly string[]) {
  return (t: CfnTemplate): void => {
    const [role] = only(resources(t, 'AWS::IAM::Role', roleId), `role ${roleId}`);
    let removed = 0;
    for (const [, p] of resources(t, 'AWS::IAM::Policy', /./)) {
      if (!JSON.stringify(p.Roles).includes(`"${role}"`)) continue;
      for (const s of asArray((p.PolicyDocument as Props).Statement) as Props[]) {
        if (!resourceId.test(JSON.stringify(s.Resource))) continue;
        const before = asArray(s.Action);
        s.Action = before.filter((a) => !actions.includes(String(a)));
        removed += before.length - asArray(s.Action).length;
      }
    }
    if (removed === 0) throw new Error(`${roleId} has no grant of ${actions.join(', ')} on ${resourceId}`);
  };
}

/** Changes the `detail.type` of the rule whose pattern routes one stream type, so events of that type match nothing. */
export function withBrokenPattern(type: string) {
  return (t: CfnTemplate): void => {
    const rules = resources(t, 'AWS::Events::Rule', /./).filter(
      ([, p]) => isObject(p.EventPattern) && JSON.stringify(p.EventPattern).includes(`"type":["${type}"]`),
    );
    const [, p] = only(rules, `the rule of ${type} events`);
    (p.EventPattern as { detail: { type: string[] } }).detail.type = [`${type}-typo`];
  };
}

/** Removes a variable from the containers' `Environment` of every task definition. */
export function withoutTaskVariable(name: string) {
  return (t: CfnTemplate): void => {
    let removed = 0;
    for (const [, p] of resources(t, 'AWS::ECS::TaskDefinition', /./))
      for (const c of asArray(p.ContainerDefinitions) as Props[]) {
        const env = asArray(c.Environment) as Props[];
        c.Environment = env.filter((e) => e.Name !== name);
        removed += env.length - asArray(c.Environment).length;
      }
    if (removed === 0) throw new Error(`no task definition sets ${name}`);
  };
}

/**
 * A device reports through the listener: a TCP channel and the device are created through the API
 * (with an `http` stream to `receiver` subscribed, if given), one Teltonika record is sent, and
 * the scenario waits until the API returns it (and the receiver got it).
 */
export async function deviceReports(d: Deployment, receiver?: StreamReceiver): Promise<void> {
  await d.startServices();
  const imei = '356307042441099';
  const device = await call(d, 'POST', '/gw/devices', [{ name: 'scenario', configuration: { ident: imei } }]);
  const id = device.json.result[0].id as number;
  if (receiver) {
    const stream = await call(d, 'POST', '/gw/streams', [
      { name: 'http', protocol_name: 'http', configuration: { uri: `http://127.0.0.1:${receiver.port}/in` } },
    ]);
    await call(d, 'POST', `/gw/streams/${stream.json.result[0].id}/devices/${id}`);
  }
  const channel = await call(d, 'POST', '/gw/channels', [{ name: 'tcp', protocol_name: 'teltonika', configuration: { transport: 'tcp' } }]);
  const port = channel.json.result[0].configuration.port as number;
  const at = 1_760_000_000_000;
  const session = await teltonikaTcp(d, d.device(port, 'tcp').localPort, imei, [{ timestampMs: at, speed: 42 }]);
  session.device.close();
  await until(d, 'the record stored', async () => {
    const r = await call(d, 'GET', `/gw/devices/${id}/messages`);
    return r.json.result?.some((m: { timestamp: number }) => m.timestamp === at / 1000) ? true : undefined;
  });
  if (receiver) await until(d, 'the record streamed', async () => (receiver.messages().some((m) => m.timestamp === at / 1000) ? true : undefined));
}
