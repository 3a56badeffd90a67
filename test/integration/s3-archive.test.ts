import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepClass, S3PackArchive } from '../../adapters/aws/s3-archive.js';
import { keyed } from '../../core/messages/pack.js';
import { coldHistoryBattery, T0, trackerMessages } from '../helpers/cold-history.js';
import { S3Stub } from '../helpers/s3-stub.js';

/**
 * One recording endpoint for the file, reached the way a deployment can point the SDK elsewhere:
 * `AWS_ENDPOINT_URL_S3` (read by the client at request time, so it stays set for the file).
 */
const stub = new S3Stub();
let started: Promise<void> | undefined;
const savedEndpoint = process.env.AWS_ENDPOINT_URL_S3;
function client(): S3Client {
  started ??= stub.start().then((url) => {
    process.env.AWS_ENDPOINT_URL_S3 = url;
  });
  return new S3Client({ region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}
afterAll(async () => {
  if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
  else process.env.AWS_ENDPOINT_URL_S3 = savedEndpoint;
  await stub.stop();
});

coldHistoryBattery('the S3 archive (recording endpoint)', async () => {
  const s3 = client();
  await started;
  stub.pageSize = 3; // every listing pages
  return { archive: new S3PackArchive(s3, 'hub-battery'), close: async () => s3.destroy() };
});

describe('adapters/aws/S3PackArchive (requests)', () => {
  let s3: S3Client;
  let archive: S3PackArchive;
  beforeAll(async () => {
    s3 = client();
    await started;
    stub.pageSize = 2;
    archive = new S3PackArchive(s3, 'hub-archive');
  });
  afterAll(() => s3.destroy());

  const day = (i: number) => new Date((T0 + i * 86_400) * 1000).toISOString().slice(0, 10);
  const groups = (i: number) => [{ ttl: T0 + 40 * 86_400, entries: trackerMessages(T0 + i * 86_400, T0 + i * 86_400 + 3600).map((m) => keyed(m)) }];

  it('puts one object per owner and day at messages/<scope>/<id>/<day>.z, tagged with its keep class', async () => {
    const from = stub.requests.length;
    await archive.put('device', 42, day(0), groups(0), 31);
    expect(stub.operations(from)).toEqual(['PUT x-id']);
    const put = stub.requests[from];
    expect(put.path).toBe(`/hub-archive/messages/device/42/${day(0)}.z`);
    expect(put.headers['x-amz-tagging']).toBe('keep=90');
    expect(put.headers['content-type']).toBe('application/octet-stream');
    expect(String(put.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/s3\/aws4_request/);
    expect(await archive.get('device', 42, day(0))).toEqual(groups(0));
  });

  it('answers undefined for a day that is not there (GetObject 404 NoSuchKey)', async () => {
    const from = stub.requests.length;
    expect(await archive.get('device', 42, day(5))).toBeUndefined();
    expect(stub.operations(from)).toEqual(['GET x-id']);
  });

  it('lists the days of a range with ListObjectsV2 (prefix, start-after, continuation)', async () => {
    for (const i of [1, 2, 3, 4]) await archive.put('device', 42, day(i), groups(i), 5);
    await archive.put('device', 420, day(2), groups(2), 5);
    const from = stub.requests.length;
    expect(await archive.days('device', 42, day(1), day(3))).toEqual([day(1), day(2), day(3)]);
    const lists = stub.requests.slice(from);
    expect(lists.map((r) => r.query)).toEqual([
      { 'list-type': '2', prefix: 'messages/device/42/', 'start-after': `messages/device/42/${day(1)}` },
      {
        'list-type': '2',
        prefix: 'messages/device/42/',
        'start-after': `messages/device/42/${day(1)}`,
        'continuation-token': `messages/device/42/${day(2)}.z`,
      },
    ]);
  });

  it('drops an owner with ListObjectsV2 and DeleteObjects, leaving other owners', async () => {
    const from = stub.requests.length;
    await archive.drop('device', 42);
    // five days, two keys a page: three pages, each deleted as listed
    expect(stub.operations(from)).toEqual([
      'GET list-type&prefix',
      'POST delete',
      'GET continuation-token&list-type&prefix',
      'POST delete',
      'GET continuation-token&list-type&prefix',
      'POST delete',
    ]);
    const deletes = stub.requests.slice(from).filter((r) => r.method === 'POST');
    expect(deletes[0].body.toString()).toContain(`<Key>messages/device/42/${day(0)}.z</Key>`);
    expect(deletes[0].headers['x-amz-checksum-crc32'] ?? deletes[0].headers['content-md5']).toBeTruthy();
    expect(await archive.days('device', 42, '2000-01-01', '2100-01-01')).toEqual([]);
    expect(await archive.days('device', 420, '2000-01-01', '2100-01-01')).toEqual([day(2)]);
  });

  it('deletes one day with DeleteObject', async () => {
    const from = stub.requests.length;
    await archive.delete('device', 420, day(2));
    expect(stub.operations(from)).toEqual(['DELETE x-id']);
    expect([...stub.objects.keys()].filter((k) => k.startsWith('hub-archive/'))).toEqual([]);
  });

  it('rounds keep days up to the lifecycle classes', () => {
    expect([1, 7, 8, 30, 31, 365, 366, 3660, 5000].map(keepClass)).toEqual([7, 7, 30, 30, 90, 365, 730, 3660, 3660]);
  });
});
