/** SES emulator (aws-ses-v2-local): the SESv2 API plus a mailbox page at its root URL. */
import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';
import { close } from './http-util.ts';

// CommonJS default export: under ESM it may arrive wrapped once more.
const sesLocal = ((sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule) as unknown as (config: {
  host: string;
  port: number;
}) => Promise<import('node:http').Server>;

export interface LocalSes {
  endpoint: string;
  close(): Promise<void>;
}

export async function startSes(options: { port?: number }): Promise<LocalSes> {
  const server = await sesLocal({ host: '127.0.0.1', port: options.port ?? 0 });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => close(server) };
}
