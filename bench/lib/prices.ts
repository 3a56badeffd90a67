/**
 * Public list prices, US East (N. Virginia), on-demand, without free tiers or discounts (Savings
 * Plans, reserved capacity). Taken 2026-11-27 from the pricing pages named on each line
 * (cross-checked with the AWS pricing pages and examples found by the docs search the same day).
 * Update the date and the numbers together.
 */
export const PRICES_TAKEN = '2026-11-27';

export const PRICES = {
  // https://aws.amazon.com/sqs/pricing/ — standard queue, first 100 billion requests/month; every
  // 64 KB chunk of a payload is billed as one request
  sqsPerMillionRequests: 0.4,
  // https://aws.amazon.com/dynamodb/pricing/on-demand/ — standard table class
  dynamoOnDemandPerMillionWru: 0.625,
  dynamoOnDemandPerMillionRru: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  dynamoPitrPerGbMonth: 0.2,
  // https://aws.amazon.com/dynamodb/pricing/provisioned/
  dynamoProvisionedPerWcuHour: 0.00065,
  dynamoProvisionedPerRcuHour: 0.00013,
  // https://aws.amazon.com/s3/pricing/ — S3 Standard, first 50 TB; PUT/COPY/POST/LIST and GET per
  // 1,000 requests; DELETE and lifecycle expiration are free
  s3StandardPerGbMonth: 0.023,
  s3PutPer1000: 0.005,
  s3GetPer1000: 0.0004,
  // https://aws.amazon.com/lambda/pricing/ — Arm (Graviton), first 7.5 billion GB-s tier
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  // https://aws.amazon.com/eventbridge/pricing/ — custom events, per 64 KB chunk; rules and
  // schedules on a bus add no charge, delivery to Lambda is billed as Lambda invocations
  eventBridgePerMillionEvents: 1.0,
  // https://aws.amazon.com/iot-core/pricing/ — messaging (first billion, 5 KB increments) and
  // Device Shadow / registry operations (1 KB increments)
  iotPerMillionMessages: 1.0,
  iotShadowPerMillionOperations: 1.25,
  // https://aws.amazon.com/fargate/pricing/ — Linux/ARM
  fargateArmPerVcpuHour: 0.03238,
  fargateArmPerGbHour: 0.00356,
  // https://aws.amazon.com/elasticloadbalancing/pricing/ — Network Load Balancer; an NLCU is
  // 800 new TCP connections/s, 100,000 active TCP connections or 1 GB processed per hour
  nlbPerHour: 0.0225,
  nlbPerLcuHour: 0.006,
  // https://aws.amazon.com/vpc/pricing/ — public IPv4 addresses (tasks and NLB nodes)
  publicIpv4PerHour: 0.005,
  // https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer — to the internet, first 10 TB
  dataOutPerGb: 0.09,
  // https://aws.amazon.com/cloudwatch/pricing/ — Standard log class; vended logs (VPC flow logs
  // to CloudWatch Logs) first 10 TB; metrics first 10,000; standard-resolution alarm metrics
  logsIngestPerGb: 0.5,
  vendedLogsPerGb: 0.5,
  logsStoragePerGbMonth: 0.03,
  metricPerMonth: 0.3,
  alarmMetricPerMonth: 0.1,
  dashboardPerMonth: 3.0,
  // https://aws.amazon.com/xray/pricing/ — traces recorded
  xrayPerMillionTraces: 5.0,
  // https://aws.amazon.com/kms/pricing/ and https://aws.amazon.com/secrets-manager/pricing/
  kmsKeyPerMonth: 1.0,
  secretPerMonth: 0.4,
} as const;

/** The AWS pricing calculator's month. */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
/** One message per 30 s for a month: 87,600 messages. */
export const MESSAGES_PER_DEVICE_MONTH = SECONDS_PER_MONTH / 30;
/** Days of device history kept (message TTL) in the reference load. */
export const HISTORY_DAYS = 30;
