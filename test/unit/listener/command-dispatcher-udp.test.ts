import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.js';
import type { CommandRepository, PendingCommand } from '../../../core/ports.js';
import type { Command } from '../../../core/schemas/commands.js';
import { CommandDispatcher } from '../../../listener/command-dispatcher.js';
import type { ChannelContext, LiveSession } from '../../../listener/session.js';
import { UdpSessionTable } from '../../../listener/udp-session.js';
import type { ProtocolCodec } from '../../../protocols/common/types.js';
import { teltonika } from '../../../protocols/teltonika/index.js';
import { wialonIps } from '../../../protocols/wialon_ips/index.js';

const IMEI = '352093081452251';
const NOW = 1_800_000_000;

/** A repository holding the commands of one device, all pending under `IMEI`. */
function repository(commands: Command[]) {
  const byId = new Map(commands.map((c) => [c.id, c]));
  const updates: Command[] = [];
  const repo: Pick<CommandRepository, 'get' | 'update' | 'markSent' | 'pending' | 'clearKick'> = {
    get: async (_deviceId, id) => byId.get(id),
    update: async (c) => {
      updates.push(c);
      byId.set(c.id, c);
    },
    markSent: async (c, _ident, at) => {
      if (byId.get(c.id)?.status !== 'queued') return false;
      byId.set(c.id, { ...c, status: 'sent', sent: at });
      return true;
    },
    pending: async () => ({
      commands: [...byId.values()].filter((c) => c.status === 'queued').map((c): PendingCommand => ({ ident: IMEI, deviceId: 1, commandId: c.id })),
      kicks: [],
    }),
    clearKick: async () => {},
  };
  return { repo: repo as CommandRepository, byId, updates };
}

function command(id: number, name: string): Command {
  return { id, device_id: 1, name, properties: {}, priority: 0, status: 'queued', created: NOW - 10, expire: NOW + 3600 };
}

/** A dispatcher over one UDP session of `protocol` for IMEI; what the session sent lands in `sent`. */
function setup(protocol: ProtocolCodec, commands: Command[]) {
  const sent: Buffer[] = [];
  const table = new UdpSessionTable({ send: (b) => sent.push(b), close: () => {} }, { idPrefix: 't-1', idleMs: 60_000, max: 10 });
  const session = table.touch(IMEI, '10.0.0.7', 40_001, 50);
  const live: LiveSession = { session, ctx: { protocol } as unknown as ChannelContext };
  const { repo, byId, updates } = repository(commands);
  const dispatcher = new CommandDispatcher({
    commands: repo,
    listeners: { sessionsOf: () => [live], identified: () => new Map([[IMEI, [live]]]), closeConnection: () => false },
    logger: silentLogger,
    clock: { now: () => NOW },
    pollMs: 60_000,
  });
  return { dispatcher, live, sent, byId, updates };
}

describe('CommandDispatcher with UDP sessions', () => {
  it('does not write to a UDP session when it polls; the next datagram (onIdent with the session) sends the command once', async () => {
    const { dispatcher, live, sent, byId } = setup(teltonika, [command(0x0102, 'getver')]);
    dispatcher.nudge();
    await dispatcher.stop();
    expect(sent).toEqual([]);
    expect(byId.get(0x0102)?.status).toBe('queued');

    await dispatcher.onIdent(IMEI, live);
    expect(sent.map((b) => b.toString('hex'))).toEqual([
      `0023 0102 01 02 000f ${Buffer.from(IMEI).toString('hex')} 0c 01 05 00000006 676574766572 01`.replaceAll(' ', ''),
    ]);
    expect(byId.get(0x0102)).toMatchObject({ status: 'sent', sent: NOW });
    expect(live.session.bytesOut).toBe(37);

    await dispatcher.onIdent(IMEI, live);
    expect(sent).toHaveLength(1);
  });

  it('a TCP-style identify without the session does not write to a UDP session either', async () => {
    const { dispatcher, sent } = setup(teltonika, [command(7, 'getver')]);
    dispatcher.nudge();
    await dispatcher.stop();
    await dispatcher.onIdent(IMEI);
    expect(sent).toEqual([]);
  });

  it('fails a command whose protocol has no UDP form, naming UDP, and sends nothing', async () => {
    const { dispatcher, live, sent, updates } = setup(wialonIps, [command(9, 'custom')]);
    dispatcher.nudge();
    await dispatcher.stop();
    await dispatcher.onIdent(IMEI, live);
    expect(sent).toEqual([]);
    expect(updates).toEqual([
      expect.objectContaining({ id: 9, status: 'failed', executed: false, response: 'wialon_ips cannot send commands to a device over UDP', timestamp: NOW }),
    ]);
  });
});
