/** The stream target adapters, one module per stream type. */
import type { StreamTypeName } from '../../core/schemas/streams.js';
import type { StreamTypeModule } from '../../core/streams/types.js';
import { awsIotModule } from './aws-iot.js';
import { httpModule } from './http.js';
import { mqttModule } from './mqtt.js';
import { retranslatorModule } from './retranslator.js';
import { thingsboardModule } from './thingsboard.js';

export const STREAM_TYPES_MODULES: Record<StreamTypeName, StreamTypeModule<any>> = {
  http: httpModule,
  mqtt: mqttModule,
  wialon_retranslator: retranslatorModule,
  aws_iot: awsIotModule,
  thingsboard: thingsboardModule,
};

export { StreamTargetError, TargetConfigError, TargetRefusedError, TargetTimeoutError, TargetUnavailableError } from './errors.js';
