import type { Message } from '../../common/types.js';

/** `#M#`: a text message from the driver (spec "Message to driver"; the 2.0 CRC already removed). */
export function decodeDriverMessage(text: string): Message {
  return { 'driver.message': text };
}
