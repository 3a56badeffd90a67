/**
 * The device side of Wialon IPS 1.1, for simulators and tests: login `#L#<imei>;<password>`
 * (answered `#AL#1`), data `#D#date;time;lat;N;lon;E;speed;course;height;sats;hdop;inputs;
 * outputs;adc;ibutton;params` (answered `#AD#1`), ping `#P#` (answered `#AP#`). Over UDP the
 * identity goes in front: `<imei>#D#...`. Lines end with CR LF.
 */
export interface WialonFix {
  readonly atMs: number;
  readonly latitude: number;
  readonly longitude: number;
  /** km/h */
  readonly speed: number;
  readonly course: number;
  readonly altitude: number;
  readonly satellites: number;
}

const two = (n: number): string => String(n).padStart(2, '0');

function dm(deg: number, width: number): string {
  const a = Math.abs(deg);
  const d = Math.floor(a);
  return String(d).padStart(width, '0') + ((a - d) * 60).toFixed(4).padStart(7, '0');
}

export function loginPacket(imei: string, password = 'NA'): Buffer {
  return Buffer.from(`#L#${imei};${password}\r\n`, 'latin1');
}

export function pingPacket(): Buffer {
  return Buffer.from('#P#\r\n', 'latin1');
}

/** A `#D#` packet; with `udpIdent`, the 1.1 UDP form `<imei>#D#...`. */
export function dataPacket(fix: WialonFix, udpIdent?: string): Buffer {
  const t = new Date(fix.atMs);
  const date = two(t.getUTCDate()) + two(t.getUTCMonth() + 1) + two(t.getUTCFullYear() % 100);
  const time = two(t.getUTCHours()) + two(t.getUTCMinutes()) + two(t.getUTCSeconds());
  const pos = `${dm(fix.latitude, 2)};${fix.latitude >= 0 ? 'N' : 'S'};${dm(fix.longitude, 3)};${fix.longitude >= 0 ? 'E' : 'W'}`;
  const body = `${date};${time};${pos};${Math.round(fix.speed)};${Math.round(fix.course)};${Math.round(fix.altitude)};${fix.satellites};1.0;0;0;NA;NA;pwr_ext:2:12.8`;
  return Buffer.from(`${udpIdent ?? ''}#D#${body}\r\n`, 'latin1');
}

/** A simulated Wialon IPS tracker (hub simulate): login, then data packets, each answered `#AD#1`. */
export const simulator = {
  transports: ['tcp', 'udp'] as const,
  identFor: (n: number): string => `wips${100_000 + n}`,
  login: (ident: string): Buffer => loginPacket(ident),
  report: (ident: string, n: number, seq: number, atMs: number, transport: 'tcp' | 'udp'): Buffer =>
    dataPacket(
      { atMs, latitude: 54.6 + (n % 1000) * 1e-3, longitude: 25.2 + seq * 1e-5, speed: 40, course: (seq * 7) % 360, altitude: 120, satellites: 9 },
      transport === 'udp' ? ident : undefined,
    ),
  replyLength: (buf: Buffer): number | undefined => {
    const end = buf.indexOf('\r\n');
    return end < 0 ? undefined : end + 2;
  },
  loginAcked: true,
  reportsAcked: true,
};
