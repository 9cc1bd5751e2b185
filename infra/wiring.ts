/**
 * The part of the wiring table (functions/wiring.ts) that infra/ builds. `buildHerald` takes it
 * as a parameter so the tests can also build a much larger, synthetic one.
 */
import { eventRules, queueConsumers, routes, schedules, type EventRule, type Route, type Schedule } from '../functions/wiring.ts';

export type QueueConsumerWiring = (typeof queueConsumers)[number];

export interface HeraldWiring {
  routes: readonly Route[];
  queueConsumers: readonly QueueConsumerWiring[];
  schedules: readonly Schedule[];
  eventRules: readonly EventRule[];
}

export const heraldWiring: HeraldWiring = { routes, queueConsumers, schedules, eventRules };
