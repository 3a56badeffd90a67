import { describe, expect, it } from 'vitest';
import { ConnectionCodec } from '../../../protocols/common/connection.js';
import type { CodecOptions, Decoded, Message, ProtocolCodec, SessionState } from '../../../protocols/common/types.js';
import { encodeCommand } from '../../../protocols/osmand/encoder.js';
import { osmand } from '../../../protocols/osmand/index.js';
import { fuzzCodec } from '../../helpers/codec-contract.js';
import { type AttributeMap, entryBytes, loadCorpus, replayDecode, reportPassRate, sanityProblems } from '../../helpers/conformance.js';

/**
 * OsmAnd has no bytes to annotate: a frame is one HTTP request as JSON (common/types.ts `Transport`).
 * Fixtures are written like hexFixture ones, one parameter per line with its meaning after `//`;
 * `request()` joins the lines (whitespace dropped) and serialises the request frame.
 */
function query(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, '').trim())
    .join('');
}
function request(method: string, path: string, headers: Record<string, string> = {}, body = ''): Buffer {
  return Buffer.from(JSON.stringify({ method, path, headers, body }));
}
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const HTTP: SessionState = { transport: 'http', vars: {} };
const OPTIONS: CodecOptions = { crc: 'strict', maxFrameSize: 65536 };
const ctx = (settings?: CodecOptions['settings']) => ({ transport: 'http' as const, options: { ...OPTIONS, settings } });

/** Traccar Client request (OsmAndProtocolDecoderTest.testDecodeQuery, last vector), speed in knots. */
const TRACCAR_CLIENT = request(
  'GET',
  query(`
  /?id=123456789012345        // device identifier
  &timestamp=1504763810       // Unix seconds: 2017-09-07 05:56:50 UTC
  &lat=40.7232948571          // latitude, degrees
  &lon=-74.0061408571         // longitude, degrees (W negative)
  &bearing=7.19889788244      // course, degrees
  &speed=40                   // knots → 74.08 km/h
  &ignition=true              // Traccar attribute name → engine.ignition.status
  &rpm=933                    // unknown → osmand.rpm (number)
  &fuel=24                    // Traccar attribute name → fuel.level
`),
);

/** Traccar Client fields not in the corpus: accuracy, battery, charging, alarm, extra text. */
const TRACCAR_CLIENT_FULL = request(
  'POST',
  query(`
  /?id=861001000719969        // device identifier
  &timestamp=1700000000000    // Unix milliseconds
  &lat=41.666667&lon=-0.883333 // position
  &altitude=350.059479        // m
  &accuracy=12.5              // horizontal accuracy, m → position.accuracy
  &hdop=0.9                   // → position.hdop
  &batt=87                    // battery %, → battery.level
  &charge=true                // → battery.charging.status
  &alarm=sos                  // → alarm.event.trigger + alarm.type
  &mock=false                 // unknown boolean → osmand.mock
  &driverUniqueId=ABC123      // → driver.unique.id
`),
);

/** Cell towers and Wi-Fi access points (OsmAndProtocolDecoderTest.testDecodeQuery, first vector). */
const CELLS_AND_WIFI = request(
  'GET',
  query(`
  /?id=123456                         // device identifier
  &timestamp=1377177267               // Unix seconds
  &cell=257,02,16,2224                // mcc, mnc, lac, cid (first cell → gsm.*)
  &cell=257,02,16,2223,-90            // mcc, mnc, lac, cid, rssi
  &wifi=00-14-22-01-23-45,-80         // mac, rssi
  &wifi=00-1C-B3-09-85-15,-70         // mac, rssi
`),
);

/** OsmAnd app, form-encoded POST body, `location=lat,lon`, `yyyy-MM-dd HH:mm:ss` time. */
const FORM_POST = request(
  'POST',
  '/',
  { 'Content-Type': 'application/x-www-form-urlencoded' },
  query(`
    deviceid=osmand-1                   // device identifier (second spelling)
    &timestamp=2014-06-04+09%3A10%3A11  // yyyy-MM-dd HH:mm:ss, UTC
    &location=49.60688,6.15788          // lat,lon
    &speed=10                           // m/s when the channel setting speed=ms → 36 km/h
    &heading=270                        // course, degrees
    &valid=0                            // no fix
  `),
);

/** Transistorsoft background-geolocation (OsmAndProtocolDecoderTest.testDecodeJson, third vector). */
const TRANSISTORSOFT = {
  device_id: '8737767034', // device identifier
  location: {
    event: 'motionchange', // → event.enum
    is_moving: false, // → movement.status
    uuid: '0e9a2473-a9a7-4c00-997b-fb97d2154e75', // → osmand.uuid
    timestamp: '2021-07-21T08:06:34.444Z', // ISO 8601 → 1626854794.444
    odometer: 1250, // m → vehicle.mileage 1.25 km
    coords: {
      latitude: -6.1148096,
      longitude: 106.6837015,
      accuracy: 3.8, // m → position.accuracy
      speed: 18.67, // m/s → 67.212 km/h
      speed_accuracy: 0.26, // → osmand.speed_accuracy
      heading: 63, // → position.direction
      heading_accuracy: 0.28, // → osmand.heading_accuracy
      altitude: 35.7, // m
      altitude_accuracy: 3.8, // → osmand.altitude_accuracy
    },
    activity: { type: 'still', confidence: 100 }, // → osmand.activity, osmand.activity_confidence
    battery: { is_charging: false, level: 0.79 }, // 0..1 → 79 %
    extras: { ignition: true, trip_id: 'T-17', 'battery.voltage': 3.9 }, // alias, unknown, DESIGN name
  },
};
const TRANSISTORSOFT_FRAME = request('POST', '/', JSON_HEADERS, JSON.stringify(TRANSISTORSOFT));

/** A batch: `location` as an array; unknown values are -1 (Transistorsoft) and null. */
const TRANSISTORSOFT_BATCH = request(
  'POST',
  '/',
  JSON_HEADERS,
  JSON.stringify({
    device_id: 658765,
    location: [
      {
        timestamp: '2025-05-09T04:11:30.579Z',
        coords: { latitude: 37.785834, longitude: -122.406417, speed: -1, heading: -1, accuracy: 5, floor: null },
        battery: { level: -1, is_charging: false },
        mock: true,
      },
      {
        timestamp: '2025-05-09T04:12:30.000Z',
        coords: { latitude: 37.786, longitude: -122.4065, speed: 2, heading: 90, accuracy: 5 },
        geofence: { identifier: 'home', action: 'EXIT' },
      },
    ],
  }),
);

function one(out: Decoded): Message {
  expect(out.errors.map(String)).toEqual([]);
  expect(out.messages).toHaveLength(1);
  expect(sanityProblems(out.messages[0])).toEqual([]);
  return out.messages[0];
}

describe('protocols/osmand', () => {
  describe('framer', () => {
    it('accepts a whole request frame and returns it whole', () => {
      for (const f of [TRACCAR_CLIENT, CELLS_AND_WIFI, FORM_POST, TRANSISTORSOFT_FRAME, TRANSISTORSOFT_BATCH]) {
        const r = osmand.frame(f, HTTP, OPTIONS);
        expect(r).toMatchObject({ type: 'frame', consumed: f.length });
        if (r.type === 'frame') expect(r.frame.equals(f)).toBe(true);
      }
    });
    it('answers a truncated request (every strict prefix) with a typed malformed error, never a frame', () => {
      for (const f of [TRACCAR_CLIENT, TRANSISTORSOFT_FRAME]) {
        expect(osmand.frame(f.subarray(0, 0), HTTP, OPTIONS)).toEqual({ type: 'more' });
        for (let cut = 1; cut < f.length; cut++) {
          const r = osmand.frame(f.subarray(0, cut), HTTP, OPTIONS);
          expect(r.type, `prefix of ${cut} bytes`).toBe('error');
          if (r.type === 'error') expect([r.error.code, r.consumed]).toEqual(['malformed', cut]);
        }
      }
    });
    it('refuses JSON that is not a request and a request above the channel limit', () => {
      const notRequest = osmand.frame(Buffer.from('{"path":"/?id=1"}'), HTTP, OPTIONS);
      expect(notRequest.type === 'error' && notRequest.error.code).toBe('malformed');
      const big = osmand.frame(TRACCAR_CLIENT, HTTP, { ...OPTIONS, maxFrameSize: 64 });
      expect(big.type === 'error' && big.error.code).toBe('oversize');
    });
    it('handles each request of a connection on its own, as one frame (the chunking equivalent)', () => {
      const frames = [TRACCAR_CLIENT, CELLS_AND_WIFI, TRANSISTORSOFT_FRAME, TRANSISTORSOFT_BATCH];
      const c = new ConnectionCodec(osmand, OPTIONS, 'http');
      const together = frames.map((f) => c.decode(f));
      const apart = frames.map((f) => new ConnectionCodec(osmand, OPTIONS, 'http').decode(f));
      expect(together.map((o) => o.messages.length)).toEqual([1, 1, 1, 2]);
      expect(together).toEqual(apart);
      const truncated = c.decode(TRANSISTORSOFT_FRAME.subarray(0, 40));
      expect(truncated.messages).toEqual([]);
      expect(truncated.errors[0]).toMatch(/^malformed: /);
    });
  });

  describe('inspect', () => {
    it('accepts a position request: ident, store, 200 with an empty body', () => {
      const r = osmand.inspect(TRACCAR_CLIENT, HTTP, OPTIONS);
      expect(r).toMatchObject({ ident: '123456789012345', store: true, status: 200 });
      expect(r.reply?.length).toBe(0);
      expect(r.error).toBeUndefined();
      expect(osmand.inspect(TRANSISTORSOFT_FRAME, HTTP, OPTIONS)).toMatchObject({ ident: '8737767034', store: true, status: 200 });
      expect(osmand.inspect(TRANSISTORSOFT_BATCH, HTTP, OPTIONS)).toMatchObject({ ident: '658765', store: true, status: 200 });
      expect(osmand.inspect(FORM_POST, HTTP, OPTIONS)).toMatchObject({ ident: 'osmand-1', store: true, status: 200 });
    });
    it('answers a request with only an id 200 without storing it', () => {
      expect(osmand.inspect(request('GET', '/?id=123456'), HTTP, OPTIONS)).toMatchObject({ ident: '123456', store: false, status: 200 });
    });
    it('answers 400 to a request without a device id, even on an identified connection', () => {
      const r = osmand.inspect(request('GET', '/?timestamp=1377177267&lat=60.0&lon=30.0'), { ...HTTP, ident: '123456' }, OPTIONS);
      expect(r).toMatchObject({ store: false, status: 400 });
      expect(r.ident).toBeUndefined();
      expect(r.error?.code).toBe('unidentified');
      expect(osmand.inspect(request('POST', '/', JSON_HEADERS, '{"location":{"coords":{"latitude":1,"longitude":2}}}'), HTTP, OPTIONS).error?.code).toBe(
        'unidentified',
      );
    });
    it('answers 400 to unparsable data: bad position or time, bad JSON, an invalid id', () => {
      const bad = [
        request('GET', '/?id=1&lat=sixty&lon=30'),
        request('GET', '/?id=1&lat=95&lon=30'),
        request('GET', '/?id=1&timestamp=yesterday&lat=1&lon=2'),
        request('POST', '/', JSON_HEADERS, '{"device_id":"1","location":{"coords":{"latitude":'),
        request('POST', '/', JSON_HEADERS, '{"device_id":"1"}'),
        request('GET', '/?id=a/b&lat=1&lon=2'),
        Buffer.from('GET /?id=1 HTTP/1.1'),
      ];
      for (const f of bad) {
        const r = osmand.inspect(f, HTTP, OPTIONS);
        expect(r, f.toString()).toMatchObject({ store: false, status: 400 });
        expect(r.error?.code).toBe('malformed');
        expect(r.reply?.length).toBe(0);
      }
    });
  });

  describe('decode', () => {
    it('decodes a Traccar Client request: knots to km/h, Traccar attribute names, typed extras', () => {
      expect(one(osmand.decode(TRACCAR_CLIENT, ctx()))).toEqual({
        timestamp: 1504763810,
        'position.latitude': 40.7232948571,
        'position.longitude': -74.0061408571,
        'position.direction': 7.19889788244,
        'position.speed': 74.08,
        'position.valid': true,
        'engine.ignition.status': true,
        'osmand.rpm': 933,
        'fuel.level': 24,
      });
    });
    it('decodes accuracy, battery, charging, alarm and text values; millisecond time', () => {
      expect(one(osmand.decode(TRACCAR_CLIENT_FULL, ctx()))).toEqual({
        timestamp: 1700000000,
        'position.latitude': 41.666667,
        'position.longitude': -0.883333,
        'position.altitude': 350.059479,
        'position.accuracy': 12.5,
        'position.hdop': 0.9,
        'position.valid': true,
        'battery.level': 87,
        'battery.charging.status': true,
        'alarm.event.trigger': true,
        'alarm.type': 'sos',
        'osmand.mock': false,
        'driver.unique.id': 'ABC123',
      });
    });
    it('decodes cell towers (first into gsm.*, all in gsm.cells) and Wi-Fi networks', () => {
      expect(one(osmand.decode(CELLS_AND_WIFI, ctx()))).toEqual({
        timestamp: 1377177267,
        'gsm.mcc': 257,
        'gsm.mnc': 2,
        'gsm.lac': 16,
        'gsm.cellid': 2224,
        'gsm.cells': ['257,02,16,2224', '257,02,16,2223,-90'],
        'wifi.networks': ['00:14:22:01:23:45,-80', '00:1c:b3:09:85:15,-70'],
      });
    });
    it('decodes a form body with location=, local time as UTC, and speed in the channel unit', () => {
      expect(one(osmand.decode(FORM_POST, ctx({ speed: 'ms' })))).toEqual({
        timestamp: Date.UTC(2014, 5, 4, 9, 10, 11) / 1000,
        'position.latitude': 49.60688,
        'position.longitude': 6.15788,
        'position.speed': 36,
        'position.direction': 270,
        'position.valid': false,
      });
      expect(one(osmand.decode(request('GET', '/?id=1&speed=10'), ctx({ speed: 'mph' })))['position.speed']).toBeCloseTo(16.09344, 6);
      expect(one(osmand.decode(request('GET', '/?id=1&speed=10'), ctx({ speed: 'kmh' })))['position.speed']).toBe(10);
    });
    it('reads every timestamp form: seconds, milliseconds, ISO 8601 with zone or offset, date and time', () => {
      const at = (t: string) => one(osmand.decode(request('GET', `/?id=1&timestamp=${encodeURIComponent(t)}`), ctx())).timestamp;
      expect(at('1377177267')).toBe(1377177267);
      expect(at('1442068686579')).toBe(1442068686.579);
      expect(at('2016-01-27T18:55:47Z')).toBe(1453920947);
      expect(at('2016-01-27T20:55:47.250+02:00')).toBe(1453920947.25);
      expect(at('2016-01-27T21:55:47+0300')).toBe(1453920947);
      expect(at('2016-01-27 18:55:47')).toBe(1453920947);
    });
    it('decodes a Transistorsoft JSON location: m/s, odometer in km, battery fraction, extras by name', () => {
      expect(one(osmand.decode(TRANSISTORSOFT_FRAME, ctx()))).toEqual({
        timestamp: 1626854794.444,
        'event.enum': 'motionchange',
        'movement.status': false,
        'osmand.uuid': '0e9a2473-a9a7-4c00-997b-fb97d2154e75',
        'vehicle.mileage': 1.25,
        'position.latitude': -6.1148096,
        'position.longitude': 106.6837015,
        'position.accuracy': 3.8,
        'position.speed': 67.212,
        'osmand.speed_accuracy': 0.26,
        'position.direction': 63,
        'osmand.heading_accuracy': 0.28,
        'position.altitude': 35.7,
        'osmand.altitude_accuracy': 3.8,
        'position.valid': true,
        'osmand.activity': 'still',
        'osmand.activity_confidence': 100,
        'battery.charging.status': false,
        'battery.level': 79,
        'engine.ignition.status': true,
        'osmand.trip_id': 'T-17',
        'battery.voltage': 3.9,
      });
    });
    it('decodes a batch of JSON locations, skipping the -1 and null "unknown" values', () => {
      const out = osmand.decode(TRANSISTORSOFT_BATCH, ctx());
      expect(out.errors).toEqual([]);
      expect(out.messages).toEqual([
        {
          timestamp: 1746763890.579,
          'position.latitude': 37.785834,
          'position.longitude': -122.406417,
          'position.accuracy': 5,
          'position.valid': true,
          'battery.charging.status': false,
          'osmand.mock': true,
        },
        {
          timestamp: 1746763950,
          'position.latitude': 37.786,
          'position.longitude': -122.4065,
          'position.speed': 7.2,
          'position.direction': 90,
          'position.accuracy': 5,
          'position.valid': true,
          'osmand.geofence_identifier': 'home',
          'osmand.geofence_action': 'EXIT',
        },
      ]);
      for (const m of out.messages) expect(sanityProblems(m)).toEqual([]);
    });
    it('decodes nothing from a request without a device id (unidentified), whatever the session knows', () => {
      const out = osmand.decode(request('GET', '/?timestamp=1377177267&lat=60.0&lon=30.0'), { ...ctx(), ident: '123456' });
      expect(out.messages).toEqual([]);
      expect(out.errors.map((e) => e.code)).toEqual(['unidentified']);
    });
    it('keeps a value that does not convert as text under osmand.* and names it in a typed error', () => {
      const out = osmand.decode(request('GET', '/?id=1&lat=1&lon=2&batt=full&charge=maybe'), ctx());
      expect(out.messages[0]).toMatchObject({ 'osmand.batt': 'full', 'osmand.charge': 'maybe', 'position.latitude': 1 });
      expect(out.messages[0]['battery.level']).toBeUndefined();
      expect(out.errors.map((e) => [e.code, e.reason.split(' ')[0]])).toEqual([
        ['malformed', 'batt=full'],
        ['malformed', 'charge=maybe'],
      ]);
    });
    it('turns a truncated frame or body into a typed error, never an exception', () => {
      expect(osmand.decode(TRACCAR_CLIENT.subarray(0, 30), ctx()).errors[0].code).toBe('malformed');
      const body = request('POST', '/', JSON_HEADERS, JSON.stringify(TRANSISTORSOFT).slice(0, 90));
      expect(osmand.decode(body, ctx())).toMatchObject({ messages: [], errors: [{ code: 'malformed' }] });
    });
  });

  describe('encoder', () => {
    it('returns a custom command as the response body, byte for byte', () => {
      expect((encodeCommand({ name: 'custom', properties: { text: 'interval 60' } }) as Buffer).toString('hex')).toBe('696e74657276616c203630');
      expect((osmand.encodeCommand({ name: 'custom', properties: { hex: '48656c6c6f' } }, HTTP) as Buffer).toString('utf8')).toBe('Hello');
    });
    it('refuses other commands and missing or bad properties with a command error', () => {
      expect(encodeCommand({ name: 'engine_stop', properties: {} })).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'custom', properties: {} })).toMatchObject({ code: 'command' });
      expect(encodeCommand({ name: 'custom', properties: { hex: 'xyz' } })).toMatchObject({ code: 'command' });
    });
    it('declares the generic device type with the custom command', () => {
      expect(osmand.deviceTypes).toHaveLength(1);
      expect(osmand.deviceTypes[0]).toMatchObject({ id: 5, name: 'osmand', settings: [] });
      expect(osmand.deviceTypes[0].commands.map((c) => c.name)).toEqual(['custom']);
    });
  });

  describe('robustness', () => {
    it('survives random and mutated input (fast-check)', () => {
      const seeds = [TRACCAR_CLIENT, TRACCAR_CLIENT_FULL, CELLS_AND_WIFI, FORM_POST, TRANSISTORSOFT_FRAME, TRANSISTORSOFT_BATCH];
      expect(fuzzCodec(osmand, seeds, 2000, 'http')).toBe(2000);
    });
  });

  const corpus = loadCorpus('osmand.json');
  /** Traccar attribute names in the corpus → ours (only attributes listed are checked). */
  const attributeMap: AttributeMap = {
    batteryLevel: { name: 'battery.level' },
    charge: { name: 'battery.charging.status' },
    motion: { name: 'movement.status' },
    ignition: { name: 'engine.ignition.status' },
    hdop: { name: 'position.hdop' },
    event: { name: 'event.enum' },
    odometer: { name: 'vehicle.mileage', convert: (km) => (typeof km === 'number' ? km * 1000 : km) },
    device_integer_twelve_test: { name: 'osmand.device_integer_twelve_test' },
  };
  /**
   * A request without a time (OsmAnd may omit `timestamp`) decodes without one: the decoder is pure,
   * and the ingest sets `timestamp` to the frame's receive time (core/ingest.ts), as Traccar uses the
   * server time. The replay models that ingest step with a fixed receive time.
   */
  const RECEIVED_AT = 1750000000;
  const asIngested: ProtocolCodec = {
    ...osmand,
    decode: (frame, c) => {
      const out = osmand.decode(frame, c);
      return { ...out, messages: out.messages.map((m) => ({ timestamp: RECEIVED_AT, ...m })) };
    },
  };
  describe.runIf(corpus)('conformance corpus', () => {
    it('decodes at least 95% of the corpus frames as expected', () => {
      const results = replayDecode(asIngested, corpus!, attributeMap);
      const rate = reportPassRate('osmand', results);
      const raw = replayDecode(osmand, corpus!, attributeMap).filter((r) => r.pass).length;
      console.log(`  (osmand decoder alone, before the ingest fills a missing timestamp: ${raw}/${results.length})`);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
    it('frames every corpus request whole and answers it as Traccar does (200, or 400 without an id)', () => {
      for (const e of corpus!.filter((x) => x.kind === 'decode')) {
        const bytes = entryBytes(e);
        expect(osmand.frame(bytes, HTTP, OPTIONS)).toMatchObject({ type: 'frame', consumed: bytes.length });
        expect(osmand.inspect(bytes, HTTP, OPTIONS).status).toBe(e.expect.result === 'null' ? 400 : 200);
      }
    });
    it('has no framer or encoder vectors (HTTP requests; commands are response bodies)', () => {
      expect(corpus!.filter((x) => x.kind !== 'decode')).toEqual([]);
    });
  });
  if (!corpus) console.warn('conformance corpus ../shared/conformance/traccar not found: corpus tests skipped');
});
