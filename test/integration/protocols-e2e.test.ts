import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, ProtocolCodec } from '../../protocols/common/types.js';
import { allProtocols } from '../../protocols/index.js';
import { api, eventually, freePort, startTestHub } from '../helpers/local-hub.js';

/**
 * Every registered protocol end to end, table-driven: a channel on a real port, the protocol's
 * simulated device (protocols/<name>/device.ts) logs in and sends three reports over TCP (or HTTP),
 * the hub acks what the device waits for, and the reports are stored with their positions.
 */
const REPORTS = 3;

/** Writes the login and the reports on one TCP connection; resolves with the replies' bytes once `wanted` replies came. */
async function tcpSession(port: number, frames: readonly Buffer[], replyLength: ProtocolCodec['simulator']['replyLength'], wanted: number): Promise<number> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let pending = Buffer.alloc(0);
  let replies = 0;
  let loggedIn = false;
  const done = new Promise<void>((resolve) => {
    if (wanted === 0) resolve();
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const n = replyLength?.(pending, loggedIn) ?? pending.length;
        if (n === undefined || n === 0 || pending.length < n) break;
        pending = pending.subarray(n);
        loggedIn = true;
        if (++replies >= wanted) resolve();
      }
    });
  });
  for (const f of frames) {
    socket.write(f);
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
  socket.end();
  return replies;
}

describe('every protocol end to end: a simulated device over real sockets is acked and stored', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  const channels = new Map<string, { id: number; port: number }>();

  beforeAll(async () => {
    hub = await startTestHub();
    const body = [];
    for (const p of allProtocols()) {
      const port = await freePort();
      channels.set(p.name, { id: 0, port });
      body.push({ name: `${p.name}-e2e`, protocol_name: p.name, configuration: { port } });
    }
    const r = await api(hub, 'POST', '/gw/channels', body);
    expect(r.status).toBe(200);
    for (const c of r.json.result) {
      const entry = channels.get(c.protocol_name);
      if (entry) entry.id = c.id;
    }
    await hub.syncChannels();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  for (const protocol of allProtocols()) {
    it(`${protocol.name}: logs in, sends ${REPORTS} reports, every report stored with its position`, async () => {
      const sim = protocol.simulator;
      const ident = sim.identFor(42);
      const { id, port } = channels.get(protocol.name) ?? { id: 0, port: 0 };
      const start = Math.floor(Date.now() / 1000) * 1000 - 60_000;
      const atMs = (seq: number) => start + seq * 1000;
      if (protocol.transports[0] === 'http') {
        for (let seq = 1; seq <= REPORTS; seq++) {
          const r = sim.request?.(ident, 42, seq, atMs(seq));
          if (!r) throw new Error('no request builder');
          const res = await fetch(`http://127.0.0.1:${port}${r.path}`, { method: r.method, headers: r.headers, body: r.method === 'GET' ? undefined : r.body });
          expect(res.status).toBe(200);
        }
      } else {
        const frames = [...(sim.login ? [sim.login(ident)] : [])];
        for (let seq = 1; seq <= REPORTS; seq++) frames.push(sim.report?.(ident, 42, seq, atMs(seq), 'tcp') ?? Buffer.alloc(0));
        const wanted = (sim.login && sim.loginAcked ? 1 : 0) + (sim.reportsAcked ? REPORTS : 0);
        expect(await tcpSession(port, frames, sim.replyLength, wanted)).toBeGreaterThanOrEqual(wanted);
      }
      const stored = await eventually(async () => {
        const r = await api(hub, 'GET', `/gw/channels/${id}/messages?count=1000`);
        const m = r.json.result as Message[];
        const reports = m.filter((x) => x.ident === ident && x['position.latitude'] !== undefined);
        return reports.length >= REPORTS ? reports : undefined;
      }, 10_000);
      for (let seq = 1; seq <= REPORTS; seq++) {
        const want = sim.expected(ident, 42, seq, atMs(seq));
        const got = stored.find((m) => m.timestamp === want.timestamp);
        expect(got, `report ${seq} stored`).toBeDefined();
        expect(Math.abs(Number(got?.['position.latitude']) - Number(want['position.latitude']))).toBeLessThan(1e-5);
        expect(Math.abs(Number(got?.['position.longitude']) - Number(want['position.longitude']))).toBeLessThan(1e-5);
      }
    });
  }
});
