import { describe, expect, it } from 'vitest';
import { ENV, hubEnv } from '../../../core/env.js';

describe('core/env', () => {
  describe('hubEnv', () => {
    it('gives the defaults for an empty environment', () => {
      const env = hubEnv({});
      expect(env[ENV.tableRegistry]).toBe('hub-registry');
      expect(env[ENV.portRange]).toEqual([20000, 20019]);
      expect(env[ENV.flushMs]).toBe(10);
      expect(env[ENV.queue]).toBe('sqs');
      expect(env[ENV.defaultDeviceMessagesTtl]).toBeUndefined();
    });
    it('reads and converts what is set', () => {
      const env = hubEnv({ HUB_PORT_RANGE: '5000-5009', HUB_FLUSH_MS: '25', HUB_DEFAULT_CHANNEL_MESSAGES_TTL: '3600', HUB_QUEUE: 'ipc' });
      expect(env[ENV.portRange]).toEqual([5000, 5009]);
      expect(env[ENV.flushMs]).toBe(25);
      expect(env[ENV.defaultChannelMessagesTtl]).toBe(3600);
      expect(env[ENV.queue]).toBe('ipc');
    });
    it('takes a variable set to the empty string as unset (HUB_ADMIN_TOKEN= npm start)', () => {
      const env = hubEnv({ HUB_ADMIN_TOKEN: '', HUB_TABLE_REGISTRY: '', HUB_FLUSH_MS: '' });
      expect(env[ENV.adminToken]).toBeUndefined();
      expect(env[ENV.tableRegistry]).toBe('hub-registry');
      expect(env[ENV.flushMs]).toBe(10);
    });
    it('refuses a wrong value naming the variable', () => {
      expect(() => hubEnv({ HUB_FLUSH_MS: 'soon' })).toThrow('environment: HUB_FLUSH_MS must be a non-negative integer, got "soon"');
      expect(() => hubEnv({ HUB_PORT_RANGE: 'a-b' })).toThrow(/^environment: HUB_PORT_RANGE must be a port or a range/);
      expect(() => hubEnv({ HUB_QUEUE: 'kafka' })).toThrow(/^environment: HUB_QUEUE /);
    });
  });
});
