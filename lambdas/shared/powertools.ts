import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** One logger, metrics and tracer for every handler (service name from POWERTOOLS_SERVICE_NAME). */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'telematics-hub' });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'TelematicsHub', serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'telematics-hub' });
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'telematics-hub' });

/** Powertools' logger satisfies the core Logger port; this narrows its signature. */
export const coreLogger = {
  debug: (m: string, e?: Record<string, unknown>) => logger.debug(m, e ?? {}),
  info: (m: string, e?: Record<string, unknown>) => logger.info(m, e ?? {}),
  warn: (m: string, e?: Record<string, unknown>) => logger.warn(m, e ?? {}),
  error: (m: string, e?: Record<string, unknown>) => logger.error(m, e ?? {}),
};
