/** True for a failed DynamoDB condition (the item changed or exists). */
export function isConditionFailed(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ConditionalCheckFailedException' || err.name === 'TransactionCanceledException');
}
