import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * Whether this host can listen on a port now (local mode): a channel created without a port skips
 * the ports another program holds, instead of getting a `uri` nobody can reach.
 */
export function canListen(host: string, port: number, transport: 'tcp' | 'udp'): Promise<boolean> {
  return new Promise((resolve) => {
    if (transport === 'udp') {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, host, () => s.close(() => resolve(true)));
      return;
    }
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}
