/**
 * One structured JSON logger and one metrics emitter (CloudWatch EMF) per process, both
 * Powertools. Metrics are off where POWERTOOLS_DEV is set (the local runtime and tests).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({
  serviceName: 'herald',
  logLevel: process.env.LOG_LEVEL === 'silent' ? 'SILENT' : ((process.env.LOG_LEVEL ?? 'INFO') as 'INFO'),
});

export const metrics = new Metrics({ namespace: 'Herald', serviceName: 'herald' });
