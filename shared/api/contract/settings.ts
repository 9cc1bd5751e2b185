/** Workspace settings: the value model. */
import * as z from 'zod';
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
} as const satisfies Record<string, Operation>;
