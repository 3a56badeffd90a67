import { afterEach, describe, expect, it, vi } from 'vitest';
import { type UdpLink, type UdpSession, UdpSessionTable } from '../../../listener/udp-session.js';

/** A table over a fake socket: what was sent, and the open/close events in order. */
function table(max = 3, idleMs = 10_000) {
  const sent: string[] = [];
  const events: string[] = [];
  const link: UdpLink = {
    send: (bytes, port, address) => void sent.push(`${address}:${port} ${bytes.toString('hex')}`),
    close: (session, reason) => t.remove(session, reason),
  };
  const t: UdpSessionTable = new UdpSessionTable(link, {
    idPrefix: 'l-7',
    idleMs,
    max,
    onOpen: (s) => void events.push(`open ${s.state.ident} ${s.id}`),
    onClose: (s, reason) => void events.push(`close ${s.state.ident} ${reason}`),
  });
  return { t, sent, events };
}

describe('listener/udp-session', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('UdpSessionTable.touch', () => {
    it('creates a session per ident and refreshes it with each datagram, following the device to a new address', () => {
      const { t, events } = table();
      const a = t.touch('111', '10.0.0.1', 4000, 50, 1_000);
      expect(a).toMatchObject({ id: 'l-7-u1', peer: '10.0.0.1:4000', framesIn: 1, bytesIn: 50, established: 1, lastActive: 1, deferred: true });
      expect(a.state).toEqual({ transport: 'udp', ident: '111', vars: {} });
      const again = t.touch('111', '10.0.0.9', 4100, 30, 3_500);
      expect(again).toBe(a);
      expect(a).toMatchObject({ peer: '10.0.0.9:4100', address: '10.0.0.9', port: 4100, framesIn: 2, bytesIn: 80, established: 1, lastActive: 3.5 });
      expect(events).toEqual(['open 111 l-7-u1']);
      expect(t.size).toBe(1);
    });
    it('keeps at most `max` sessions, dropping the least recently active', () => {
      const { t, events } = table(2);
      t.touch('1', 'a', 1, 1, 1);
      t.touch('2', 'a', 2, 1, 2);
      t.touch('1', 'a', 1, 1, 3); // 1 is now the most recent
      t.touch('3', 'a', 3, 1, 4);
      expect(t.size).toBe(2);
      expect(t.get('2')).toBeUndefined();
      expect(events).toEqual(['open 1 l-7-u1', 'open 2 l-7-u2', 'close 2 too many UDP sessions', 'open 3 l-7-u3']);
    });
  });

  describe('UdpSession.write / close', () => {
    it('writes to the address of the last datagram and counts the bytes; a closed session writes nothing', () => {
      const { t, sent, events } = table();
      const s: UdpSession = t.touch('9', '192.0.2.1', 5000, 10, 0);
      t.touch('9', '192.0.2.1', 6000, 10, 1);
      s.write(Buffer.from('cafe', 'hex'));
      expect(sent).toEqual(['192.0.2.1:6000 cafe']);
      expect(s.bytesOut).toBe(2);
      s.close('closed through the API');
      expect(events).toEqual(['open 9 l-7-u1', 'close 9 closed through the API']);
      expect(s.isOpen).toBe(false);
      s.write(Buffer.from('00', 'hex'));
      s.close('again');
      expect(sent).toHaveLength(1);
      expect(events).toHaveLength(2);
      expect(t.touch('9', '192.0.2.1', 6000, 10, 2).id).toBe('l-7-u2');
    });
  });

  describe('UdpSessionTable.expire', () => {
    it('ends the sessions without a datagram for the idle timeout, oldest first, and only those', () => {
      const { t, events } = table(10, 10_000);
      t.touch('old', 'a', 1, 1, 0);
      t.touch('new', 'a', 2, 1, 5_000);
      expect(t.expire(9_999)).toBe(0);
      expect(t.expire(10_000)).toBe(1);
      expect(t.get('old')).toBeUndefined();
      expect(t.get('new')).toBeDefined();
      expect(events).toEqual(['open old l-7-u1', 'open new l-7-u2', 'close old idle timeout']);
    });
    it('expires on its own timer, refreshed sessions later than idle ones', () => {
      vi.useFakeTimers({ now: 1_000_000 });
      const { t, events } = table(10, 10_000);
      t.touch('quiet', 'a', 1, 1, Date.now());
      t.touch('busy', 'a', 2, 1, Date.now());
      vi.advanceTimersByTime(6_000);
      t.touch('busy', 'a', 2, 1, Date.now());
      vi.advanceTimersByTime(4_001);
      expect(events.slice(2)).toEqual(['close quiet idle timeout']);
      vi.advanceTimersByTime(5_999);
      expect(events.slice(3)).toEqual([]);
      vi.advanceTimersByTime(2);
      expect(events.slice(3)).toEqual(['close busy idle timeout']);
      expect(t.size).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
    });
    it('closeAll ends every session and the timer', () => {
      vi.useFakeTimers({ now: 0 });
      const { t, events } = table();
      t.touch('x', 'a', 1, 1, 0);
      t.touch('y', 'a', 1, 1, 0);
      t.closeAll('channel stopped');
      expect(events.slice(2)).toEqual(['close x channel stopped', 'close y channel stopped']);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
