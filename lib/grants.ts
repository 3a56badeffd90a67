import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';

/**
 * DynamoDB rights by what the adapters call (adapters/dynamodb/*: Get, Query, Put, Update, Delete,
 * BatchWrite). Narrower than `grantReadWriteData`: no Scan, no stream reads, no table-wide index
 * wildcard (the tables have no secondary indexes). A new call in an adapter needs its action here.
 */
export const DYNAMODB_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
] as const;
export const DYNAMODB_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;

export function grantTableRead(table: ITableV2, grantee: IGrantable): Grant {
  return Grant.addToPrincipal({ grantee, actions: [...DYNAMODB_READ_ACTIONS], resourceArns: [table.tableArn] });
}

export function grantTableReadWrite(table: ITableV2, grantee: IGrantable): Grant {
  return Grant.addToPrincipal({ grantee, actions: [...DYNAMODB_READ_ACTIONS, ...DYNAMODB_WRITE_ACTIONS], resourceArns: [table.tableArn] });
}
