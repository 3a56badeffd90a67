import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ARCHIVE_KEEP_TAG } from '../../core/env.js';
import type { ArchivedGroup, MessageScope, OwnerId, PackArchive } from '../../core/ports.js';
import { archivedDayPath, dayOfName, decodeArchivedDay, encodeArchivedDay, ownerPath } from '../archive-body.js';

/** The `keep` tag class of an object that must live `days` more days. */
export function keepClass(days: number): number {
  return ARCHIVE_KEEP_TAG.days.find((d) => d >= days) ?? ARCHIVE_KEEP_TAG.days[ARCHIVE_KEEP_TAG.days.length - 1];
}

/**
 * The message archive in S3: one object per owner per UTC day at `<prefix><scope>/<id>/<day>.z`,
 * tagged for the bucket's lifecycle rules (ARCHIVE_KEEP_TAG). Requests: GetObject, PutObject (with
 * tagging), DeleteObject, ListObjectsV2 and DeleteObjects (dropping an owner).
 */
export class S3PackArchive implements PackArchive {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix = 'messages/',
  ) {}

  async days(scope: MessageScope, id: OwnerId, fromDay: string, toDay: string): Promise<string[]> {
    const prefix = this.prefix + ownerPath(scope, id);
    const days: string[] = [];
    let token: string | undefined;
    do {
      const r = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, StartAfter: `${prefix}${fromDay}`, ContinuationToken: token }),
      );
      for (const o of r.Contents ?? []) {
        const day = dayOfName(o.Key ?? '');
        if (day === undefined || day < fromDay) continue;
        if (day > toDay) return days;
        days.push(day);
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return days;
  }

  async get(scope: MessageScope, id: OwnerId, day: string): Promise<ArchivedGroup[] | undefined> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(scope, id, day) }));
      if (!r.Body) return undefined;
      return decodeArchivedDay(await r.Body.transformToByteArray());
    } catch (err) {
      if (err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.$metadata.httpStatusCode === 404)) return undefined;
      throw err;
    }
  }

  async put(scope: MessageScope, id: OwnerId, day: string, groups: readonly ArchivedGroup[], keepDays: number): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(scope, id, day),
        Body: encodeArchivedDay(groups),
        ContentType: 'application/octet-stream',
        Tagging: `${ARCHIVE_KEEP_TAG.key}=${keepClass(keepDays)}`,
      }),
    );
  }

  async delete(scope: MessageScope, id: OwnerId, day: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(scope, id, day) }));
  }

  async drop(scope: MessageScope, id: OwnerId): Promise<void> {
    const prefix = this.prefix + ownerPath(scope, id);
    let token: string | undefined;
    do {
      const r = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      const keys = (r.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length > 0) {
        const d = await this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }));
        if (d.Errors?.length) throw new Error(`S3 DeleteObjects left ${d.Errors.length} object(s): ${d.Errors[0].Code} ${d.Errors[0].Message}`);
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  }

  private key(scope: MessageScope, id: OwnerId, day: string): string {
    return this.prefix + archivedDayPath(scope, id, day);
  }
}
