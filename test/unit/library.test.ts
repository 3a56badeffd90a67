import { describe, expect, it } from 'vitest';

describe('library entry telematics-hub/protocols (compiled, from package exports)', () => {
  it('lists protocols and decodes a Teltonika session byte by byte', async () => {
    const lib = await import('telematics-hub/protocols');
    expect(lib.protocols).toContain('teltonika');
    const c = lib.codec('teltonika');
    const hs = c.decode(Buffer.from('000f333536333037303432343431303133', 'hex'));
    expect(hs.replies.map((r: Buffer) => r.toString('hex'))).toEqual(['01']);
    const packet = Buffer.from(
      '000000000000003608010000016B40D8EA30010000000000000000000000000000000105021503010101425E0F01F10000601A014E0000000000000000010000C7CF',
      'hex',
    );
    const first = c.decode(packet.subarray(0, 10));
    expect(first.messages).toEqual([]);
    const rest = c.decode(packet.subarray(10));
    expect(rest.replies.map((r: Buffer) => r.toString('hex'))).toEqual(['00000001']);
    expect(rest.messages[0]).toMatchObject({ ident: '356307042441013', timestamp: 1560161086, 'gsm.signal.level': 3 });
    expect(rest.errors).toEqual([]);
  });
});
