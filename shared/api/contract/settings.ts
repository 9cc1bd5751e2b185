/** Workspace settings: the value model. */
import * as z from 'zod';
import { SendingSettings } from '../../domain/sending.ts';
import { Boundaries, ValueSettings } from '../../domain/value.ts';
import type { Operation } from './common.ts';

export const ValueModel = z.object({ settings: ValueSettings, boundaries: Boundaries.optional() });

export const settingsApi = {
  getValueModel: { summary: 'Value-model thresholds and the current RFM / tier boundaries', response: ValueModel },
  updateValueModel: { summary: 'Change the lifecycle thresholds', body: ValueSettings, response: ValueModel },
  recomputeValueModel: {
    summary: 'Queue a recompute of the RFM quintiles and Pareto tiers now (the schedule does it hourly)',
    response: z.object({ status: z.literal('queued') }),
    status: 202,
  },
  getSendingSettings: { summary: 'Sender identities, frequency cap and quiet hours', response: SendingSettings },
  updateSendingSettings: {
    summary: 'Replace the sender identities, frequency cap and quiet hours',
    body: SendingSettings,
    response: SendingSettings,
  },
} as const satisfies Record<string, Operation>;
