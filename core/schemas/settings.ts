import { z } from 'zod';

export const SettingStatus = ['synced', 'pending', 'failed'] as const;

export const SettingPutSchema = z
  .object({ value: z.unknown() })
  .strict()
  .refine((b) => b.value !== undefined, { message: 'value is required', path: ['value'] });

/** A setting's state as stored per device. */
export interface SettingState {
  readonly name: string;
  readonly desired?: unknown;
  readonly desired_at?: number;
  /** Token that set the desired value. */
  readonly desired_by?: string | number;
  readonly reported?: unknown;
  readonly reported_at?: number;
  readonly status: (typeof SettingStatus)[number];
  readonly reason?: string;
  /** Write attempts for the current desired value. */
  readonly attempts: number;
  /** The write command in flight. */
  readonly command_id?: number;
}

/** The API shape of a setting. */
export interface SettingView {
  readonly device_id: number;
  readonly name: string;
  readonly desired: unknown;
  readonly reported: unknown;
  readonly desired_at: number | null;
  readonly reported_at: number | null;
  readonly status: SettingState['status'];
  readonly reason?: string;
}
