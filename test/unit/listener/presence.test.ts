import { describe, expect, it } from 'vitest';
import type { QueuedFrame } from '../../../core/envelope.js';
import { Presence } from '../../../listener/presence.js';
import type { ChannelContext, Session } from '../../../listener/session.js';

const ctx = { channel: { id: 4 }, protocol: { id: 1 } } as unknown as ChannelContext;
let seq = 0;
const session = (ident: string | undefined) => ({ id: `c${++seq}`, peer: '10.0.0.1:5000', state: { ident, transport: 'tcp' } }) as unknown as Session;

describe('listener/presence', () => {
  describe('Presence', () => {
    it('queues online on the first connection of an ident and offline when its last one closes', () => {
      const frames: QueuedFrame[] = [];
      let now = 100;
      const presence = new Presence(
        (f) => frames.push(f),
        () => now,
      );
      const a = session('111');
      const b = session('111');
      presence.connected(a, ctx);
      now = 101;
      presence.connected(b, ctx); // a second connection before the first closed: still online
      presence.disconnected(a, ctx);
      now = 102.5;
      presence.disconnected(b, ctx);
      presence.disconnected(b, ctx); // closed twice: nothing more
      expect(frames).toEqual([
        {
          channelId: 4,
          protocolId: 1,
          transport: 'tcp',
          ident: '111',
          peer: '10.0.0.1:5000',
          receivedAt: 100,
          frame: '',
          event: 'online',
          correlationId: `${a.id}-online`,
        },
        {
          channelId: 4,
          protocolId: 1,
          transport: 'tcp',
          ident: '111',
          peer: '10.0.0.1:5000',
          receivedAt: 102.5,
          frame: '',
          event: 'offline',
          correlationId: `${b.id}-offline`,
        },
      ]);
    });

    it('gives offline then online for a reconnect within the same second, and nothing for sessions without an ident', () => {
      const frames: QueuedFrame[] = [];
      const presence = new Presence(
        (f) => frames.push(f),
        () => 200,
      );
      const first = session('222');
      presence.connected(first, ctx);
      presence.disconnected(first, ctx);
      presence.connected(session('222'), ctx);
      const anonymous = session(undefined);
      presence.connected(anonymous, ctx);
      presence.disconnected(anonymous, ctx);
      expect(frames.map((f) => [f.event, f.ident, f.receivedAt])).toEqual([
        ['online', '222', 200],
        ['offline', '222', 200],
        ['online', '222', 200],
      ]);
    });
  });
});
