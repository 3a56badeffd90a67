import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageVersion } from '../../lib/paths.js';
import { avlPacket, handshake } from '../../protocols/teltonika/device.js';
import { TestDevice } from '../helpers/devices.js';
import { api, eventually, freePort, startTestHub } from '../helpers/local-hub.js';

/**
 * Every route of the API, generically: 401 without or with a wrong token, 403 for a token whose ACL
 * does not cover it, 404 for a selector that matches nothing, 400 for a bad body or query naming
 * the field; and a success case per route (the test fails when a route has none).
 */
describe('API: every route answers 200, 400, 401, 403, 404 as the contract says', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let limited: string;
  let streamPort: number;
  let spare: number;

  beforeAll(async () => {
    hub = await startTestHub();
    streamPort = await freePort();
    spare = await freePort();
    await api(hub, 'POST', '/gw/devices', [
      { name: 'a', configuration: { ident: '861111111111111' }, device_type_id: 1 },
      { name: 'b', configuration: { ident: '862222222222222' }, device_type_id: 1 },
    ]);
    await api(hub, 'POST', '/gw/streams', [{ name: 's', protocol_name: 'http', configuration: { uri: `http://127.0.0.1:${streamPort}/` } }]);
    const dev = await TestDevice.connect(hub.channelPort);
    dev.send(handshake('861111111111111'));
    await dev.read(1);
    dev.send(avlPacket([{ timestampMs: 1_700_000_000_000, latitude: 1, longitude: 2, satellites: 4 }]));
    await dev.read(4);
    dev.close();
    const t = await api(hub, 'POST', '/platform/tokens', [{ info: 'protocols only', acl: [{ uri: 'gw/protocols', methods: ['GET'] }] }]);
    limited = t.json.result[0].key;
  });
  afterAll(async () => hub?.stop());

  /** One success case per route: [method path template] → [method, concrete path, body?]. */
  const success = (): Record<string, [string, string, unknown?]> => ({
    'POST /gw/channels': ['POST', '/gw/channels', [{ name: 'x', protocol_name: 'h02', configuration: { port: spare } }]],
    'GET /gw/channels/{sel}': ['GET', '/gw/channels/all'],
    'PUT /gw/channels/{sel}': ['PUT', '/gw/channels/1', { name: 'teltonika main' }],
    'DELETE /gw/channels/{sel}': ['DELETE', '/gw/channels/name=x'],
    'GET /gw/channels/{sel}/messages': ['GET', '/gw/channels/1/messages?count=5'],
    'GET /gw/channels/{sel}/connections': ['GET', '/gw/channels/1/connections'],
    'DELETE /gw/channels/{sel}/connections/{conn}': ['DELETE', '/gw/channels/1/connections/all'],
    'POST /gw/devices': ['POST', '/gw/devices', [{ name: 'c', configuration: { ident: '863333333333333' } }]],
    'GET /gw/devices/{sel}': ['GET', '/gw/devices/1'],
    'PUT /gw/devices/{sel}': ['PUT', '/gw/devices/2', { metadata: { k: 'v' } }],
    'DELETE /gw/devices/{sel}': ['DELETE', '/gw/devices/name=c'],
    'GET /gw/devices/{sel}/messages': ['GET', '/gw/devices/1/messages'],
    'POST /gw/devices/{sel}/messages': ['POST', '/gw/devices/2/messages', [{ timestamp: 1_700_000_100, 'position.latitude': 3 }]],
    'DELETE /gw/devices/{sel}/messages': ['DELETE', '/gw/devices/2/messages?from=0&to=1'],
    'GET /gw/devices/{sel}/telemetry': ['GET', '/gw/devices/1/telemetry'],
    'GET /gw/devices/{sel}/telemetry/{names}': ['GET', '/gw/devices/1/telemetry/position'],
    'POST /gw/devices/{sel}/commands-queue': ['POST', '/gw/devices/2/commands-queue', [{ name: 'getver' }]],
    'GET /gw/devices/{sel}/commands-queue': ['GET', '/gw/devices/2/commands-queue'],
    'DELETE /gw/devices/{sel}/commands-queue/{cmd}': ['DELETE', '/gw/devices/2/commands-queue/all'],
    'GET /gw/devices/{sel}/commands-result': ['GET', '/gw/devices/2/commands-result'],
    'POST /gw/devices/{sel}/commands': ['POST', '/gw/devices/2/commands', [{ name: 'getver', timeout: 1 }]],
    'GET /gw/devices/{sel}/settings': ['GET', '/gw/devices/1/settings'],
    'PUT /gw/devices/{sel}/settings/{name}': ['PUT', '/gw/devices/2/settings/apn', { value: 'iot' }],
    'GET /gw/devices/{sel}/logs': ['GET', '/gw/devices/1/logs'],
    'POST /gw/devices/{sel}/calculate': [
      'POST',
      '/gw/devices/1/calculate',
      { selectors: [{ type: 'expression', expression: 'position.speed > 5' }], from: 0, to: 1 },
    ],
    'POST /gw/streams': ['POST', '/gw/streams', [{ name: 'y', protocol_name: 'wialon_retranslator', configuration: { uri: 'tcp://127.0.0.1:1' } }]],
    'GET /gw/streams/{sel}': ['GET', '/gw/streams/1'],
    'PUT /gw/streams/{sel}': ['PUT', '/gw/streams/1', { enabled: false }],
    'DELETE /gw/streams/{sel}': ['DELETE', '/gw/streams/name=y'],
    'POST /gw/streams/{sel}/devices/{target}': ['POST', '/gw/streams/1/devices/1'],
    'DELETE /gw/streams/{sel}/devices/{target}': ['DELETE', '/gw/streams/1/devices/1'],
    'GET /gw/streams/{sel}/devices': ['GET', '/gw/streams/1/devices'],
    'POST /gw/streams/{sel}/channels/{target}': ['POST', '/gw/streams/1/channels/1'],
    'DELETE /gw/streams/{sel}/channels/{target}': ['DELETE', '/gw/streams/1/channels/1'],
    'GET /gw/streams/{sel}/channels': ['GET', '/gw/streams/1/channels'],
    'GET /gw/streams/{sel}/logs': ['GET', '/gw/streams/1/logs'],
    'GET /gw/streams/{sel}/dropped': ['GET', '/gw/streams/1/dropped'],
    'POST /gw/streams/{sel}/dropped/replay': ['POST', '/gw/streams/1/dropped/replay'],
    'DELETE /gw/streams/{sel}/dropped': ['DELETE', '/gw/streams/1/dropped'],
    'POST /gw/geofences': [
      'POST',
      '/gw/geofences',
      [
        { name: 'g', geometry: { type: 'circle', center: { lat: 1, lon: 2 }, radius: 10 } },
        {
          name: 'gx',
          geometry: {
            type: 'polygon',
            path: [
              { lat: 0, lon: 0 },
              { lat: 0, lon: 1 },
              { lat: 1, lon: 1 },
            ],
          },
        },
      ],
    ],
    'GET /gw/geofences/{sel}': ['GET', '/gw/geofences/1'],
    'PUT /gw/geofences/{sel}': ['PUT', '/gw/geofences/1', { priority: 2 }],
    'DELETE /gw/geofences/{sel}': ['DELETE', '/gw/geofences/name=gx'],
    'GET /gw/geofences/{sel}/devices': ['GET', '/gw/geofences/1/devices'],
    'POST /gw/plugins': [
      'POST',
      '/gw/plugins',
      [
        { name: 'p', type: 'static', configuration: { parameters: { fleet: 'north' } } },
        { name: 'px', type: 'erase', configuration: { parameters: ['gsm.*'] } },
      ],
    ],
    'GET /gw/plugins/{sel}': ['GET', '/gw/plugins/1'],
    'PUT /gw/plugins/{sel}': ['PUT', '/gw/plugins/1', { enabled: true }],
    'DELETE /gw/plugins/{sel}': ['DELETE', '/gw/plugins/name=px'],
    'POST /gw/plugins/{sel}/devices/{target}': ['POST', '/gw/plugins/1/devices/2'],
    'DELETE /gw/plugins/{sel}/devices/{target}': ['DELETE', '/gw/plugins/1/devices/2'],
    'GET /gw/plugins/{sel}/devices': ['GET', '/gw/plugins/1/devices'],
    'POST /gw/calcs': [
      'POST',
      '/gw/calcs',
      [
        { name: 'trips', selectors: [{ type: 'expression', expression: 'engine.ignition.status' }], counters: [{ type: 'messages', name: 'n' }] },
        { name: 'cx', selectors: [{ type: 'inactive', min_duration: 600 }] },
      ],
    ],
    'GET /gw/calcs/{sel}': ['GET', '/gw/calcs/1'],
    'PUT /gw/calcs/{sel}': ['PUT', '/gw/calcs/1', { update_delay: 10 }],
    'DELETE /gw/calcs/{sel}': ['DELETE', '/gw/calcs/name=cx'],
    'POST /gw/calcs/{sel}/devices/{target}': ['POST', '/gw/calcs/1/devices/2'],
    'GET /gw/calcs/{sel}/devices/{target}': ['GET', '/gw/calcs/1/devices/2'],
    'GET /gw/calcs/{sel}/devices/{target}/intervals/{ids}': ['GET', '/gw/calcs/1/devices/2/intervals/all?count=5'],
    'PUT /gw/calcs/{sel}/devices/{target}/intervals/{ids}': ['PUT', '/gw/calcs/1/devices/2/intervals/all', { note: 'x' }],
    'DELETE /gw/calcs/{sel}/devices/{target}/intervals/{ids}': ['DELETE', '/gw/calcs/1/devices/2/intervals/last'],
    'DELETE /gw/calcs/{sel}/devices/{target}': ['DELETE', '/gw/calcs/1/devices/2'],
    'GET /gw/devices/{sel}/plugins': ['GET', '/gw/devices/1/plugins'],
    'GET /gw/protocols': ['GET', '/gw/protocols'],
    'GET /gw/protocols/{sel}': ['GET', '/gw/protocols/teltonika'],
    'GET /gw/protocols/{sel}/device-types': ['GET', '/gw/protocols/all/device-types'],
    'POST /platform/tokens': ['POST', '/platform/tokens', [{ info: 'x' }]],
    'GET /platform/tokens/{sel}': ['GET', '/platform/tokens/all'],
    'PUT /platform/tokens/{sel}': ['PUT', '/platform/tokens/info=x', { info: 'renamed' }],
    'DELETE /platform/tokens/{sel}': ['DELETE', '/platform/tokens/info=renamed'],
    'GET /openapi.json': ['GET', '/openapi.json'],
    'GET /platform/dead-letters': ['GET', '/platform/dead-letters'],
    'POST /platform/dead-letters/replay': ['POST', '/platform/dead-letters/replay'],
    'DELETE /platform/dead-letters/{ids}': ['DELETE', '/platform/dead-letters/all'],
  });

  /** A path with every {param} filled: selectors with a value that matches nothing. */
  const concrete = (path: string, sel: string) =>
    (path === '/gw/devices/{sel}/messages' ? '/gw/devices/{sel}/messages?from=0&to=1' : path)
      .replace(/\{sel\}/, sel)
      .replace(/\{target\}/, '1')
      .replace(/\{cmd\}/, 'all')
      .replace(/\{conn\}/, 'all')
      .replace(/\{names\}/, 'position')
      .replace(/\{name\}/, 'apn')
      .replace(/\{ids\}/, 'all');

  it('has a success case for every route, and each answers 200 with {"result": [...]}', async () => {
    const table = success();
    const keys = hub.services.routes.map((r) => `${r.method} ${r.path}`);
    const online = await TestDevice.connect(hub.channelPort); // a connection to list and to close
    online.send(handshake('861111111111111'));
    await online.read(1);
    await eventually(async () => ((await api(hub, 'GET', '/gw/channels/1/connections')).json.result.length > 0 ? true : undefined));
    expect(keys.filter((k) => !table[k])).toEqual([]);
    for (const key of keys) {
      const [method, path, body] = table[key];
      const r = await api(hub, method, path, body);
      expect(r.status, `${key}: ${JSON.stringify(r.json).slice(0, 300)}`).toBe(200);
      if (key !== 'GET /openapi.json' && r.status === 200) expect(Array.isArray(r.json.result), key).toBe(true);
    }
  });

  it('answers 401 without a token and with an unknown one on every non-public route', async () => {
    for (const r of hub.services.routes.filter((x) => !x.public)) {
      const path = concrete(r.path, '1');
      expect((await api(hub, r.method, path, r.body ? [] : undefined, null)).status, `${r.method} ${r.path}`).toBe(401);
      expect((await api(hub, r.method, path, r.body ? [] : undefined, 'wrong')).status, `${r.method} ${r.path}`).toBe(401);
    }
  });

  it("answers 403 when the token's ACL does not cover the route", async () => {
    for (const r of hub.services.routes.filter((x) => !x.public && !x.path.startsWith('/gw/protocols'))) {
      const res = await api(hub, r.method, concrete(r.path, '1'), r.body ? [] : undefined, limited);
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
      expect(res.json.errors[0].reason).toMatch(/may not/);
    }
  });

  it('answers 404 naming the selector when it matches nothing', async () => {
    for (const r of hub.services.routes.filter((x) => x.path.includes('{sel}'))) {
      const body =
        r.method === 'PUT'
          ? r.path.includes('settings')
            ? { value: 1 }
            : {}
          : r.method === 'POST'
            ? r.path.endsWith('replay')
              ? undefined
              : r.path.endsWith('/calculate')
                ? { selectors: [{ type: 'expression', expression: 'position.speed > 5' }], from: 0, to: 1 }
                : [{ name: 'getver' }]
            : undefined;
      const res = await api(hub, r.method, concrete(r.path, '999999'), body);
      if (r.path.startsWith('/gw/protocols')) continue;
      expect(res.status, `${r.method} ${r.path}: ${JSON.stringify(res.json)}`).toBe(404);
      expect(res.json.errors[0].reason, `${r.method} ${r.path}`).toMatch(/999999/);
    }
  });

  it('answers 400 naming the offending field for bad bodies and queries', async () => {
    for (const r of hub.services.routes.filter((x) => x.body)) {
      const path = concrete(r.path, '1');
      const bad =
        r.path === '/gw/devices/{sel}/messages'
          ? [{ 'bogus_field!': 1 }]
          : r.method === 'PUT' || r.path.endsWith('replay')
            ? { bogus_field: 1 }
            : [{ bogus_field: 1 }];
      const res = await api(hub, r.method, path.replace(/\?.*$/, ''), bad);
      expect(res.status, `${r.method} ${r.path}`).toBe(400);
      expect(res.json.errors[0].reason, `${r.method} ${r.path}`).toMatch(/bogus_field|required|expected|value/);
    }
    for (const r of hub.services.routes.filter((x) => x.query)) {
      const path = concrete(r.path, '1');
      const res = await api(hub, r.method, `${path}${path.includes('?') ? '&' : '?'}bogus_param=1`);
      expect(res.status, `${r.method} ${r.path}`).toBe(400);
      expect(res.json.errors[0].reason).toMatch(/bogus_param/);
    }
  });

  it('answers 409 for a duplicate ident, a taken port', async () => {
    expect((await api(hub, 'POST', '/gw/devices', [{ name: 'dup', configuration: { ident: '861111111111111' } }])).status).toBe(409);
    expect((await api(hub, 'PUT', '/gw/devices/2', { configuration: { ident: '861111111111111' } })).status).toBe(409);
    expect((await api(hub, 'POST', '/gw/channels', [{ name: 'dup', protocol_name: 'teltonika', configuration: { port: hub.channelPort } }])).status).toBe(409);
  });

  it('serves an OpenAPI 3.1 document listing every route, without a token', async () => {
    const r = await api(hub, 'GET', '/openapi.json', undefined, null);
    expect(r.json.openapi).toBe('3.1.0');
    expect(r.json.info.version).toBe(packageVersion());
    for (const route of hub.services.routes) expect(r.json.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    expect(r.json.paths['/gw/devices'].post.requestBody.content['application/json'].schema.items.required).toContain('configuration');
  });

  it('keeps one history across a hardware swap (ident change)', async () => {
    const before = await eventually(async () => {
      const m = (await api(hub, 'GET', '/gw/devices/1/messages')).json.result;
      return m.length > 0 ? m : undefined;
    });
    expect((await api(hub, 'PUT', '/gw/devices/1', { configuration: { ident: '864444444444444' } })).status).toBe(200);
    const dev = await TestDevice.connect(hub.channelPort);
    dev.send(handshake('864444444444444'));
    await dev.read(1);
    dev.send(avlPacket([{ timestampMs: Date.now(), latitude: 5, longitude: 6, satellites: 4 }]));
    await dev.read(4);
    dev.close();
    const history = await eventually(async () => {
      const m = (await api(hub, 'GET', '/gw/devices/1/messages')).json.result;
      return m.length === before.length + 1 ? m : undefined;
    });
    expect(history.map((m: { ident: string }) => m.ident)).toEqual([...before.map(() => '861111111111111'), '864444444444444']);
    expect(history.every((m: { 'device.id': number }) => m['device.id'] === 1)).toBe(true);
    const logs = (await api(hub, 'GET', '/gw/devices/1/logs')).json.result;
    expect(logs.find((l: { event: string }) => l.event === 'ident_changed')).toMatchObject({ old: '861111111111111', new: '864444444444444' });
    const telemetry = (await api(hub, 'GET', '/gw/devices/1/telemetry/position')).json.result[0].telemetry;
    expect(telemetry['position.latitude'].value).toBe(5);
  });
});

describe('API: a token limited to device A cannot read, command or configure device B', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  let tokenA: string;
  beforeAll(async () => {
    hub = await startTestHub();
    await api(hub, 'POST', '/gw/devices', [
      { name: 'A', configuration: { ident: '865555555555555' }, device_type_id: 1 },
      { name: 'B', configuration: { ident: '866666666666666' }, device_type_id: 1 },
    ]);
    const t = await api(hub, 'POST', '/platform/tokens', [
      { info: 'device A only', acl: [{ uri: 'gw/devices', methods: ['GET', 'POST', 'PUT', 'DELETE'], ids: [1] }] },
    ]);
    tokenA = t.json.result[0].key;
    expect(t.json.result[0].key).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });
  afterAll(async () => hub?.stop());

  it('sees only device A in lists and selectors', async () => {
    expect((await api(hub, 'GET', '/gw/devices/all', undefined, tokenA)).json.result.map((d: { id: number }) => d.id)).toEqual([1]);
    expect((await api(hub, 'GET', '/gw/devices/name=*', undefined, tokenA)).json.result.map((d: { id: number }) => d.id)).toEqual([1]);
  });

  it.each([
    ['GET', '/gw/devices/2', undefined],
    ['GET', '/gw/devices/2/messages', undefined],
    ['GET', '/gw/devices/2/telemetry', undefined],
    ['POST', '/gw/devices/2/commands-queue', [{ name: 'getver' }]],
    ['POST', '/gw/devices/2/commands', [{ name: 'getver', timeout: 1 }]],
    ['PUT', '/gw/devices/2/settings/apn', { value: 'x' }],
    ['PUT', '/gw/devices/2', { name: 'stolen' }],
    ['DELETE', '/gw/devices/2', undefined],
    ['GET', '/gw/devices/1,2', undefined],
  ])('%s %s → 403', async (method, path, body) => {
    const r = await api(hub, method, path, body, tokenA);
    expect(r.status).toBe(403);
    expect(r.json.errors[0].reason).toMatch(/may not access gw\/devices 2/);
  });

  it('may work with device A, and cannot create devices or touch tokens', async () => {
    expect((await api(hub, 'GET', '/gw/devices/1/telemetry', undefined, tokenA)).status).toBe(200);
    expect((await api(hub, 'POST', '/gw/devices/1/commands-queue', [{ name: 'getver' }], tokenA)).status).toBe(200);
    expect((await api(hub, 'POST', '/gw/devices', [{ name: 'new', configuration: { ident: '867777777777777' } }], tokenA)).status).toBe(403);
    expect((await api(hub, 'GET', '/platform/tokens/all', undefined, tokenA)).status).toBe(403);
  });

  it('stores only the hash of a token, refuses it after expiry and after deletion', async () => {
    const { doc } = hub;
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const items =
      (await doc.send(new QueryCommand({ TableName: 'hub-registry', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'token' } })))
        .Items ?? [];
    expect(JSON.stringify(items)).not.toContain(tokenA);
    expect(items[0].hash).toMatch(/^[0-9a-f]{64}$/);
    const short = await api(hub, 'POST', '/platform/tokens', [{ info: 'expires', expire: Math.floor(Date.now() / 1000) + 1 }]);
    const key = short.json.result[0].key;
    expect((await api(hub, 'GET', '/gw/devices/all', undefined, key)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1200));
    const gone = await api(hub, 'POST', '/platform/tokens', [{ info: 'revoked' }]);
    await api(hub, 'DELETE', `/platform/tokens/${gone.json.result[0].id}`);
    expect((await api(hub, 'GET', '/gw/devices/all', undefined, gone.json.result[0].key)).status).toBe(401);
  });
});

describe('API: on a new hub, every collection and sub-collection is an empty list', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    hub = await startTestHub({ extra: { defaultChannel: false } });
  });
  afterAll(async () => hub?.stop());

  /** A body that passes validation for each write route (the selection is empty: nothing changes). */
  const validBody = (r: { method: string; path: string }): unknown => {
    if (r.method === 'GET' || r.method === 'DELETE') return undefined;
    if (r.path.endsWith('/settings/{name}')) return { value: 30 };
    if (r.path.endsWith('/commands-queue') || r.path.endsWith('/commands')) return [{ name: 'getver' }];
    if (r.path.endsWith('/{sel}/messages') && r.method === 'POST') return [{ timestamp: 1_700_000_000 }];
    if (r.path.endsWith('/calculate')) return { selectors: [{ type: 'expression', expression: 'position.speed > 5' }], from: 0, to: 1 };
    if (r.method === 'PUT') return r.path.startsWith('/platform/tokens') ? { info: 'renamed' } : { name: 'renamed' };
    return undefined;
  };
  const concrete = (path: string, sel: string) =>
    path
      .replace(/\{sel\}/g, sel)
      .replace(/\{(cmd|conn|target)\}/g, 'all')
      .replace('{names}', 'position')
      .replace('{name}', 'report_interval_moving')
      .replace('{ids}', 'all');

  for (const sel of ['all', 'name=nothing*']) {
    it(`answers 200 [] for every route with selector "${sel}" (reads and writes alike)`, async () => {
      const routes = hub.services.routes.filter((r) => r.path.includes('{sel}') && !r.path.startsWith('/gw/protocols'));
      expect(routes.length).toBeGreaterThan(25);
      for (const r of routes) {
        const query = r.path.endsWith('/messages') && r.method === 'DELETE' ? '?from=0&to=1' : '';
        const res = await api(hub, r.method, `${concrete(r.path, sel)}${query}`, validBody(r));
        expect(res, `${r.method} ${r.path}`).toEqual({ status: 200, json: { result: [] } });
      }
    });
  }

  it('answers 200 [] for the top-level lists a script starts with', async () => {
    for (const path of [
      '/gw/devices/all',
      '/gw/channels/all',
      '/gw/streams/all',
      '/gw/geofences/all',
      '/gw/plugins/all',
      '/gw/calcs/all',
      '/platform/tokens/all',
      '/gw/channels/all/connections',
      '/gw/streams/all/devices',
    ]) {
      expect(await api(hub, 'GET', path), path).toEqual({ status: 200, json: { result: [] } });
    }
  });

  it('still answers 404 for ids named explicitly that do not exist', async () => {
    for (const path of ['/gw/devices/7', '/gw/channels/7', '/gw/streams/7/devices', '/platform/tokens/7', '/gw/devices/7/messages']) {
      const res = await api(hub, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(res.json.errors[0].reason, path).toMatch(/no (device|channel|stream|token) 7/);
    }
  });

  it('validates the query and body before the selector: a typo is a 400 even when nothing is selected', async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ['GET', '/gw/devices/all/messages?count=zero', undefined, /^count: /],
      ['GET', '/gw/devices/all/messages?cuont=2', undefined, /^query: unknown query parameter\(s\) "cuont"$/],
      ['GET', '/gw/devices/name=x*/messages?filter=position.speed%3E', undefined, /^filter: /],
      ['GET', '/gw/devices/all?offset=-1', undefined, /^offset: /],
      ['PUT', '/gw/devices/all', { bogus: 1 }, /bogus/],
      ['POST', '/gw/devices/all/commands-queue', [{ name: 1 }], /^\[0\]\.name: /],
      ['DELETE', '/gw/devices/all/messages?from=5', undefined, /^to: /],
    ];
    for (const [method, path, body, reason] of cases) {
      const res = await api(hub, method, path, body);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.json)}`).toBe(400);
      expect(res.json.errors[0].reason, `${method} ${path}`).toMatch(reason);
    }
  });
});
