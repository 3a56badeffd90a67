/**
 * What the as-deployed test does from the outside, as a user and a device would: REST calls through
 * the local API Gateway with a token, Teltonika frames over TCP or UDP to a load balancer port.
 */
import { createSocket } from 'node:dgram';
import { avlPacket, handshake, udpPacket } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import type { Deployment } from './deployment.js';

export interface ApiAnswer {
  readonly status: number;
  readonly json: any;
}

/** A REST call through the deployment's API Gateway (`token` null: no Authorization header). */
export async function call(d: Deployment, method: string, path: string, body?: unknown, token: string | null = d.secret()): Promise<ApiAnswer> {
  const res = await fetch(d.apiUrl + path, {
    method,
    headers: { ...(token === null ? {} : { Authorization: `FlespiToken ${token}` }), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch {
    return { status: res.status, json: text };
  }
}

/**
 * Polls until `check` returns a value, or fails after `timeoutMs` with what it last saw; fails at
 * once, naming the cause, when the deployment met a problem (a denied call, an unrouted event...).
 */
export async function until<T>(d: Deployment, what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    d.verify();
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Report {
  readonly timestampMs: number;
  readonly speed: number;
}

const record = (r: Report) => ({ timestampMs: r.timestampMs, latitude: 54.6871, longitude: 25.2797, satellites: 9, speed: r.speed });

/** A Teltonika tracker's session over TCP: IMEI handshake (answered 01), then AVL packets each acked with the record count. */
export async function teltonikaTcp(
  d: Deployment,
  port: number,
  imei: string,
  reports: readonly Report[],
): Promise<{ accepted: string; acks: string[]; device: TestDevice }> {
  const device = await until(d, `a TCP connection to local port ${port}`, () => TestDevice.connect(port).catch(() => undefined), 10_000);
  device.send(handshake(imei));
  const accepted = (await device.read(1)).toString('hex');
  const acks: string[] = [];
  for (const r of reports) {
    device.send(avlPacket([record(r)]));
    acks.push((await device.read(4)).toString('hex'));
  }
  return { accepted, acks, device };
}

/** A Teltonika tracker over UDP: one datagram per report, each answered with its packet and record ids. */
export async function teltonikaUdp(d: Deployment, port: number, imei: string, reports: readonly Report[]): Promise<string[]> {
  const socket = createSocket('udp4');
  const answers: string[] = [];
  socket.on('message', (m) => answers.push(m.toString('hex')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  try {
    for (const [i, r] of reports.entries()) {
      const before = answers.length;
      await until(d, `a UDP answer from local port ${port}`, async () => {
        socket.send(udpPacket(imei, [record(r)], i + 1, i + 1), port, '127.0.0.1');
        await new Promise((w) => setTimeout(w, 300));
        return answers.length > before ? true : undefined;
      });
    }
  } finally {
    socket.close();
  }
  return [...new Set(answers)];
}
