/** The stream target adapters, one module per stream type. */
import type { StreamTypeModules } from '../../core/streams/types.js';
import { awsIotModule } from './aws-iot.js';
import { httpModule } from './http.js';
import { mqttModule } from './mqtt.js';
import { retranslatorModule } from './retranslator.js';
import { thingsboardModule } from './thingsboard.js';
import { ThingsboardGateways } from './thingsboard-gateway.js';

/**
 * The stream type modules of one stream runtime. Modules that hold connections shared between a
 * stream's target and its joiner (ThingsBoard's gateway) get their own registry here, owned by
 * the runtime that asked for the modules.
 */
export function streamTypeModules(): StreamTypeModules {
  return {
    http: httpModule,
    mqtt: mqttModule,
    wialon_retranslator: retranslatorModule,
    aws_iot: awsIotModule,
    thingsboard: thingsboardModule(new ThingsboardGateways()),
  };
}
