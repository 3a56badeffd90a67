import { Duration } from 'aws-cdk-lib';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../core/env.js';
import { HubFunction } from './function.js';
import { grantTableReadWrite } from './grants.js';
import { acknowledge } from './nag.js';
import { handlerEntry } from './paths.js';
import type { HubStorage } from './storage.js';

export interface HubCalcsProps {
  readonly storage: HubStorage;
  /** The streams bus: interval events go to the streams with source "intervals". */
  readonly eventBus: IEventBus;
  /**
   * How often the backfill and the tick run.
   * @default Duration.minutes(1)
   */
  readonly rate?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * The calculators' background work: a scheduled function that calculates the stored history of new
 * assignments in bounded chunks and ticks open intervals (update_delay, max_inactive, silences).
 * Ingest computes everything else as messages arrive.
 */
export class HubCalcs extends Construct {
  readonly function: HubFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: HubCalcsProps) {
    super(scope, id);
    this.function = new HubFunction(this, 'TickFunction', {
      entry: handlerEntry('calcs-tick'),
      description: 'Telematics Hub calculators: backfill of new assignments and the tick of open intervals',
      memorySize: props.memorySize ?? 512,
      timeout: Duration.seconds(50),
      serviceName: 'hub-calcs-tick',
      logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
      environment: {
        [ENV.tableRegistry]: props.storage.registry.tableName,
        [ENV.tableMessages]: props.storage.messages.tableName,
        [ENV.eventBusName]: props.eventBus.eventBusName,
      },
    });
    // registry: calculators, states, intervals, devices; messages: the stored history the backfill reads
    grantTableReadWrite(props.storage.registry, this.function);
    grantTableReadWrite(props.storage.messages, this.function);
    props.eventBus.grantPutEventsTo(this.function);
    const reason =
      'A scheduled run that fails is not worth keeping: the next run (one rate later) starts from the stored state and does the same work; failures are in the logs and the Errors metric.';
    acknowledge(this.function, { id: 'Serverless-LambdaDLQ', reason }, { id: 'Serverless-LambdaAsyncFailureDestination', reason });
    this.schedule = new Rule(this, 'TickSchedule', {
      description: 'Calculators: backfill and tick',
      schedule: Schedule.rate(props.rate ?? Duration.minutes(1)),
      targets: [new LambdaFunction(this.function, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
    acknowledge(this.schedule, { id: 'Serverless-EventBusDLQ', reason });
  }
}
