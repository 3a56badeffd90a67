/** The stream target adapters, one module per stream type. */
import type { StreamTypeModules } from '../../core/streams/types.js';
import { awsIotModule } from './aws-iot.js';
import { httpModule } from './http.js';
import { mqttModule } from './mqtt.js';
import { retranslatorModule } from './retranslator.js';
import { thingsboardModule } from './thingsboard.js';

export const STREAM_TYPES_MODULES: StreamTypeModules = {
  http: httpModule,
  mqtt: mqttModule,
  wialon_retranslator: retranslatorModule,
  aws_iot: awsIotModule,
  thingsboard: thingsboardModule,
};
