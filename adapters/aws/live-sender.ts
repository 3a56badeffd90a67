import { type ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { LiveFrame } from '../../core/live/frames.js';
import type { LiveSender } from '../../core/live/ports.js';

/**
 * Sends live frames through API Gateway's management API (`POST @connections/{id}`), one WebSocket
 * text frame per call, in order. 410 Gone (the client left without a `$disconnect` reaching us)
 * answers false so the caller removes the connection's items.
 */
export class ApiGatewayLiveSender implements LiveSender {
  readonly stats = { posts: 0, bytes: 0 };

  constructor(private readonly client: ApiGatewayManagementApiClient) {}

  async send(connectionId: string, frames: readonly LiveFrame[]): Promise<boolean> {
    for (const frame of frames) {
      const data = Buffer.from(JSON.stringify(frame));
      try {
        await this.client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
      } catch (err) {
        if (err instanceof GoneException || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410) return false;
        throw err;
      }
      this.stats.posts++;
      this.stats.bytes += data.length;
    }
    return true;
  }
}
