/** Stateful resources: the one DynamoDB table. Kept apart so stateless stacks can be replaced freely. */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../../shared/db/table.ts';

export interface DataStackProps extends StackProps {
  /** Production: deletion protection on and the table retained if the stack goes. @default false */
  production?: boolean;
}

export class DataStack extends Stack {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: DataStackProps = {}) {
    super(scope, id, props);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.production ?? false,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      globalSecondaryIndexes: [
        {
          indexName: TABLE_KEYS.gsi1.name,
          partitionKey: { name: TABLE_KEYS.gsi1.partitionKey, type: AttributeType.STRING },
          sortKey: { name: TABLE_KEYS.gsi1.sortKey, type: AttributeType.STRING },
        },
      ],
    });
  }
}
