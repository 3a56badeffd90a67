import { login as gt06Login } from '../../protocols/gt06/device.js';
import { encodePacket } from '../../protocols/gt06/encoder.js';
import { codec12Response, codec12Text, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from './devices.js';

/**
 * Simulated tracker firmware for remote-configuration tests: keeps a parameter table and answers
 * configuration commands the way the vendor's firmware does.
 */

/** Teltonika FMB: `getparam <id>[;<id>]` → `Param ID:<id> Value:<v>`; `setparam <id>:<v>` → `New value <id>:<v>;`. */
export class TeltonikaFirmware {
  readonly params = new Map<string, string>([
    ['10000', '600'],
    ['10050', '60'],
    ['2004', 'old.example.com'],
    ['2005', '5027'],
    ['2001', 'internet'],
    ['101', '1'],
  ]);
  readonly received: string[] = [];
  private stopped = false;

  constructor(
    readonly device: TestDevice,
    private readonly rejects: (id: string, value: string) => string | undefined = () => undefined,
  ) {}

  static async connect(
    port: number,
    imei: string,
    firmware?: Partial<Pick<TeltonikaFirmware, 'params'>> & { rejects?: (id: string, value: string) => string | undefined },
  ): Promise<TeltonikaFirmware> {
    const device = await TestDevice.connect(port);
    device.send(handshake(imei));
    await device.read(1);
    const fw = new TeltonikaFirmware(device, firmware?.rejects);
    if (firmware?.params) for (const [k, v] of firmware.params) fw.params.set(k, v);
    void fw.serve();
    return fw;
  }

  /** Answers commands until the connection closes. */
  private async serve(): Promise<void> {
    while (!this.stopped) {
      let packet: Buffer;
      try {
        const head = await this.device.read(8, 600_000);
        packet = Buffer.concat([head, await this.device.read(head.readUInt32BE(4) + 4)]);
      } catch {
        return;
      }
      const text = codec12Text(packet);
      if (text === undefined) continue;
      this.received.push(text);
      this.device.send(codec12Response(this.answer(text)));
    }
  }

  private answer(text: string): string {
    const [cmd, args = ''] = text.split(' ', 2);
    if (cmd === 'getparam')
      return args
        .split(';')
        .map((id) => `Param ID:${id} Value:${this.params.get(id) ?? ''}`)
        .join(';');
    if (cmd === 'setparam') {
      const done: string[] = [];
      for (const pair of args.split(';')) {
        const [id, value] = [pair.slice(0, pair.indexOf(':')), pair.slice(pair.indexOf(':') + 1)];
        const refusal = this.rejects(id, value);
        if (refusal) return refusal;
        this.params.set(id, value);
        done.push(`${id}:${value}`);
      }
      return `New value ${done.join(';')};`;
    }
    return `Unknown command ${cmd}`;
  }

  close(): void {
    this.stopped = true;
    this.device.close();
  }
}

/** GT06 (Concox): answers `TIMER,<s>#` with `TIMER=<s> OK` and `TIMER#` with `TIMER:<s>` in a 0x21 reply echoing the server flag. */
export class Gt06Firmware {
  timer = 60;
  readonly received: string[] = [];
  private serial = 1;

  private constructor(readonly device: TestDevice) {}

  static async connect(port: number, imei: string): Promise<Gt06Firmware> {
    const device = await TestDevice.connect(port);
    const fw = new Gt06Firmware(device);
    device.send(gt06Login(imei, fw.serial++));
    await device.read(10);
    void fw.serve();
    return fw;
  }

  private async serve(): Promise<void> {
    for (;;) {
      let frame: Buffer;
      try {
        const head = await this.device.read(3, 600_000);
        frame = Buffer.concat([head, await this.device.read(head[2] + 2)]);
      } catch {
        return;
      }
      if (frame[3] !== 0x80) continue;
      const flag = frame.readUInt32BE(5);
      const text = frame.toString('latin1', 9, 5 + frame[4]);
      this.received.push(text);
      const m = /^TIMER,(\d+)#$/.exec(text);
      let answer = 'Unknown command';
      if (m) {
        this.timer = Number(m[1]);
        answer = `TIMER=${this.timer} OK`;
      } else if (text === 'TIMER#') answer = `TIMER:${this.timer}`;
      const content = Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), Buffer.from(answer, 'latin1')]);
      content.writeUInt32BE(flag, 0);
      this.device.send(encodePacket(0x21, this.serial++, content, true));
      await this.device.read(10).catch(() => undefined); // the hub's ack of 0x21
    }
  }

  close(): void {
    this.device.close();
  }
}
