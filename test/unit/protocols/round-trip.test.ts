import { describe, expect, it } from 'vitest';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import { DEFAULT_CODEC_OPTIONS, type Message, type ProtocolCodec, type Transport } from '../../../protocols/common/types.js';
import { heartbeat as h02Heartbeat } from '../../../protocols/h02/device.js';
import { allProtocols, codec } from '../../../protocols/index.js';
import { heartbeat as queclinkHeartbeat } from '../../../protocols/queclink/device.js';
import { loginPacket, pingPacket } from '../../../protocols/wialon_ips/device.js';

/**
 * Every protocol's device side (`protocols/<name>/device.ts`) against its hub side: what the
 * simulated device sends (login, then reports) decodes back to the values it was built from, over
 * every transport the protocol speaks. A builder and a decoder that drift apart fail here.
 */
const AT_MS = Date.UTC(2026, 0, 15, 10, 30, 0);

function roundTrip(protocol: ProtocolCodec, transport: Transport, n: number, seq: number): { messages: Message[]; errors: string[]; replies: Buffer[] } {
  const sim = protocol.simulator;
  const ident = sim.identFor(n);
  const codec = new ConnectionCodec(protocol, DEFAULT_CODEC_OPTIONS, transport);
  const out = { messages: [] as Message[], errors: [] as string[], replies: [] as Buffer[] };
  const feed = (bytes: Buffer) => {
    const r = codec.decode(bytes);
    out.messages.push(...r.messages);
    out.errors.push(...r.errors);
    out.replies.push(...r.replies);
  };
  if (transport === 'tcp' && sim.login) feed(sim.login(ident));
  out.messages = []; // what the login itself decodes to (a head packet's message) is not the report's
  if (transport === 'http') {
    const request = sim.request?.(ident, n, seq, AT_MS);
    if (!request) throw new Error(`${protocol.name} speaks HTTP but its simulator builds no request`);
    feed(Buffer.from(JSON.stringify(request)));
  } else {
    const report = sim.report?.(ident, n, seq, AT_MS, transport);
    if (!report) throw new Error(`${protocol.name} simulator builds no report`);
    feed(report);
  }
  return out;
}

/** Numbers agree to 1e-5 (text formats round coordinates to ~1 m); everything else exactly. */
function expectClose(actual: Message, expected: Message, what: string): void {
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name];
    if (typeof want === 'number' && typeof got === 'number') expect(Math.abs(got - want), `${what}: ${name} = ${got}, want ${want}`).toBeLessThanOrEqual(1e-5);
    else expect(got, `${what}: ${name}`).toEqual(want);
  }
}

describe('protocols: device-side builders round-trip through the hub side', () => {
  for (const protocol of allProtocols()) {
    describe(protocol.name, () => {
      for (const transport of protocol.simulator.transports) {
        it(`decodes what its simulated device sends over ${transport} back to the values it was built from`, () => {
          for (const [n, seq] of [
            [0, 1],
            [7, 3],
            [1234, 99],
          ] as const) {
            const { messages, errors } = roundTrip(protocol, transport, n, seq);
            const what = `${protocol.name}/${transport} device ${n} report ${seq}`;
            expect(errors, what).toEqual([]);
            expect(messages.length, `${what}: one message`).toBe(1);
            expectClose(messages[0], protocol.simulator.expected(protocol.simulator.identFor(n), n, seq, AT_MS), what);
            expect(messages[0].ident ?? protocol.simulator.identFor(n), `${what}: ident`).toBe(protocol.simulator.identFor(n));
          }
        });
      }
      it('acks what its simulator waits for', () => {
        const transport = protocol.simulator.transports[0];
        const { replies } = roundTrip(protocol, transport, 1, 1);
        const waits = (transport === 'tcp' && protocol.simulator.login && protocol.simulator.loginAcked ? 1 : 0) + (protocol.simulator.reportsAcked ? 1 : 0);
        expect(replies.length).toBeGreaterThanOrEqual(waits);
      });
    });
  }
});

describe('protocols: keep-alive builders round-trip', () => {
  it('h02: a heartbeat decodes to its battery level and is answered', () => {
    const out = codec('h02').decode(h02Heartbeat('4210000001', 80));
    expect(out.messages).toEqual([{ 'report.type': 'HTBT', 'battery.level': 80, ident: '4210000001' }]);
    expect(out.replies.map((r) => r.toString())).toEqual(['*HQ,4210000001,HTBT#']);
  });
  it('queclink: a +ACK:GTHBD heartbeat is answered with +SACK:GTHBD and its count number', () => {
    const out = codec('queclink').decode(queclinkHeartbeat('862000000000001', AT_MS, 5));
    expect(out.errors).toEqual([]);
    expect(out.replies.map((r) => r.toString())).toEqual(['+SACK:GTHBD,060100,0005$']);
  });
  it('wialon_ips: a #P# ping after login is answered #AP#', () => {
    const c = codec('wialon_ips');
    c.decode(loginPacket('wips1'));
    expect(c.decode(pingPacket()).replies.map((r) => r.toString())).toEqual(['#AP#\r\n']);
  });
});
