/** Teltonika codec ids (first byte after the length field), with the devices that send them. */
export const Codec = {
  /** GH3000 personal trackers (legacy, bit-masked GPS element). */
  C7: 0x07,
  /** FMB/FMC/FMM/FMT families: the default data codec. */
  C8: 0x08,
  /** FMB/FMC families: 2-byte IO ids and counts, variable-length IO. */
  C8E: 0x8e,
  /** FM36/FM63 and others: 2-byte IO ids, generation type. */
  C16: 0x10,
  /** Server command / device reply (GPRS commands). */
  C12: 0x0c,
  /** Device message with timestamp. */
  C13: 0x0d,
  /** Command addressed by IMEI, with ACK/nACK reply. */
  C14: 0x0e,
} as const;

/** Codec 12/13/14 message types. */
export const MessageType = {
  Command: 0x05,
  Response: 0x06,
  /** Codec 14 nACK: the IMEI in the command did not match the device. */
  Nack: 0x11,
  /** DualCam/photo data (Codec 12 type 0x0D), not a command response. */
  Camera: 0x0d,
} as const;

/** Handshake replies. */
export const HANDSHAKE_ACCEPT = Buffer.from([0x01]);
export const HANDSHAKE_REJECT = Buffer.from([0x00]);

/** A lone 0xFF is a keep-alive ping. */
export const KEEPALIVE = 0xff;

/** Preamble (4 zero bytes) + data length (u32) + CRC (u32) around a TCP data packet. */
export const TCP_HEADER_SIZE = 8;
export const TCP_CRC_SIZE = 4;

/** Record priority values. */
export const PRIORITY = ['low', 'high', 'panic'] as const;
