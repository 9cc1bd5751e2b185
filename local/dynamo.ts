/**
 * DynamoDB emulator: dynalite, in memory or on disk (LevelDB under `path`), on a worker thread
 * of this process so that the emulator and the handlers use separate cores. Herald's table is
 * created from the same definition infra/ uses.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { createTableInput } from '../shared/db/table.ts';

export interface LocalDynamo {
  endpoint: string;
  close(): Promise<void>;
}

export async function startDynamo(options: { port?: number; path?: string; tableName: string }): Promise<LocalDynamo> {
  const worker = new Worker(new URL('./dynalite-thread.mjs', import.meta.url), {
    workerData: { port: options.port ?? 0, path: options.path },
  });
  const [started] = (await once(worker, 'message')) as [{ port?: number; error?: string; code?: string }];
  if (!started.port) {
    await worker.terminate();
    throw Object.assign(new Error(`dynalite did not start: ${started.error}`), { code: started.code });
  }
  const endpoint = `http://127.0.0.1:${started.port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await client.send(new DescribeTableCommand({ TableName: options.tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(options.tableName)));
  }
  client.destroy();
  return {
    endpoint,
    async close() {
      worker.postMessage('close');
      await once(worker, 'message'); // LevelDB closed cleanly
      await worker.terminate();
    },
  };
}
