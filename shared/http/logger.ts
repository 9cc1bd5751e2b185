/** One structured JSON logger per process (Powertools). */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'herald', logLevel: process.env.LOG_LEVEL === 'silent' ? 'SILENT' : (process.env.LOG_LEVEL ?? 'INFO') as 'INFO' });
