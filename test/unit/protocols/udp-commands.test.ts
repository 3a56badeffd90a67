import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../protocols/common/errors.js';
import type { CommandRequest, ProtocolCodec, SessionState } from '../../../protocols/common/types.js';
import { encodeEnvelope } from '../../../protocols/eelink/encoder.js';
import { allProtocols } from '../../../protocols/index.js';
import { codec12Response, udpCodec12Response, udpCodec12Text } from '../../../protocols/teltonika/device.js';
import { encodeCodec12, encodeCommand, encodeUdpCodec12 } from '../../../protocols/teltonika/encoder.js';
import { teltonika } from '../../../protocols/teltonika/index.js';
import { hexFixture as hex } from '../../helpers/hex.js';

const IMEI = '352093081452251';
const udp = (ident?: string): SessionState => ({ transport: 'udp', ident, vars: {} });

/** Every command example of every device type of a protocol, with a hub command id. */
function examples(p: ProtocolCodec): CommandRequest[] {
  const out: CommandRequest[] = [];
  for (const type of p.deviceTypes)
    for (const c of type.commands) for (const properties of c.examples) out.push({ name: c.name, properties, id: 4660 + out.length });
  return out;
}

describe('commands over UDP', () => {
  describe('teltonika: Codec 12 in the UDP channel header (wiki "Codec": UDP channel packet, Codec 12)', () => {
    it('encodes setdigout 11 for a device byte for byte', () => {
      const bytes = encodeCommand({ name: 'setdigout', properties: { outputs: '11' }, id: 0x1234 }, udp(IMEI));
      expect(Buffer.isBuffer(bytes) && bytes.toString('hex')).toBe(
        hex(`
          0029  // length: 41 bytes follow
          1234  // packet id: the hub command id (low 16 bits)
          01  // packet type 01, as in the wiki UDP examples
          34  // AVL packet id: the command id (low 8 bits)
          000f 333532303933303831343532323531  // IMEI length 15, IMEI
          0c  // codec 12
          01  // command quantity 1
          05  // type: command
          0000000c 7365746469676f7574203131  // size 12, "setdigout 11"
          01  // command quantity 2 (no CRC over UDP)
        `).toString('hex'),
      );
    });
    it('carries the same data field as the TCP packet, without preamble, length and CRC', () => {
      const tcp = encodeCodec12(Buffer.from('getver'));
      const datagram = encodeUdpCodec12(Buffer.from('getver'), IMEI, 0x10203);
      expect(datagram.subarray(23).toString('hex')).toBe(tcp.subarray(8, tcp.length - 4).toString('hex'));
      expect(datagram.subarray(0, 8).toString('hex')).toBe('002302030103000f'); // length 35, packet id 0x0203, 01, AVL packet id 0x03, IMEI length
      expect(udpCodec12Text(datagram)).toBe('getver');
    });
    it('sends custom hex as the payload', () => {
      const bytes = encodeCommand({ name: 'custom', properties: { hex: 'CAFE' }, id: 7 }, udp('1'));
      expect(Buffer.isBuffer(bytes) && bytes.toString('hex')).toBe('0011' + '0007' + '01' + '07' + '0001' + '31' + '0c0105' + '00000002' + 'cafe' + '01');
    });
    it('refuses a UDP command without the device IMEI, naming UDP', () => {
      const r = encodeCommand({ name: 'getver', properties: {} }, udp());
      expect(r).toBeInstanceOf(CodecError);
      expect(r).toMatchObject({ code: 'command', reason: 'a UDP command needs the device IMEI (no datagram identified the device yet)' });
    });
    it('decodes the device reply datagram (Codec 12 type 06) into the command reply, acked with its packet ids', () => {
      const reply = udpCodec12Response(IMEI, 'Ver:03.28.07_04', 0xbeef, 0x42);
      expect(teltonika.inspect(reply, udp(), { crc: 'strict', maxFrameSize: 1024 })).toMatchObject({ store: true, ident: IMEI });
      expect(teltonika.inspect(reply, udp(), { crc: 'strict', maxFrameSize: 1024 }).reply?.toString('hex')).toBe('0005beef014201');
      const out = teltonika.decode(reply, { transport: 'udp' });
      expect(out.errors).toEqual([]);
      expect(out.commandReplies).toEqual([{ response: 'Ver:03.28.07_04', executed: true }]);
      expect(reply.subarray(23).toString('hex')).toBe(codec12Response('Ver:03.28.07_04').subarray(8, -4).toString('hex'));
    });
  });

  describe('every protocol with a UDP transport', () => {
    const withUdp = allProtocols().filter((p) => p.transports.includes('udp'));
    it('is one of the thirteen reviewed here', () => {
      expect(withUdp.map((p) => p.name).sort()).toEqual(
        ['atrack', 'castel', 'eelink', 'gps103', 'h02', 'jt808', 'meiligao', 'meitrack', 'queclink', 'suntech', 'teltonika', 'tk103', 'wialon_ips'].sort(),
      );
    });
    for (const p of withUdp) {
      it(`${p.name}: encodes every command example for a UDP device in its UDP form`, () => {
        const ident = p.simulator.identFor(1);
        const list = examples(p);
        expect(list.length).toBeGreaterThan(0);
        for (const command of list) {
          const overTcp = p.encodeCommand(command, { transport: 'tcp', ident, vars: {} });
          const overUdp = p.encodeCommand(command, udp(ident));
          const what = `${p.name} ${command.name} ${JSON.stringify(command.properties)}`;
          if (p.name === 'wialon_ips') {
            // spec 2.0 "UDP data transfer": UDP carries data from the device only, no commands
            expect(overUdp, what).toMatchObject({ code: 'command', reason: 'wialon_ips cannot send commands to a device over UDP' });
          } else if (!Buffer.isBuffer(overTcp)) expect(overUdp, what).toEqual(overTcp);
          else if (p.name === 'teltonika') expect(overUdp, what).toEqual(encodeUdpCodec12(overTcp.subarray(15, overTcp.length - 5), ident, command.id ?? 0));
          else if (p.name === 'eelink') expect(overUdp, what).toEqual(encodeEnvelope(ident, overTcp));
          else expect(overUdp, what).toEqual(overTcp); // text and binary frames that name the device themselves
        }
      });
    }
  });
});
