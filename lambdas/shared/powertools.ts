import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and metrics for every handler (service name from POWERTOOLS_SERVICE_NAME). No Powertools
 * Tracer: the X-Ray SDK it loads hooks every promise (cls-hooked), which cost ~20 % of the local hub's
 * CPU in the soak profile; Lambda's active tracing still records each invocation.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'telematics-hub' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'TelematicsHub',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'telematics-hub',
});

/** Powertools' logger satisfies the core Logger port; this narrows its signature. */
export const coreLogger = {
  debug: (m: string, e?: Record<string, unknown>) => logger.debug(m, e ?? {}),
  info: (m: string, e?: Record<string, unknown>) => logger.info(m, e ?? {}),
  warn: (m: string, e?: Record<string, unknown>) => logger.warn(m, e ?? {}),
  error: (m: string, e?: Record<string, unknown>) => logger.error(m, e ?? {}),
};
