/**
 * Publishes events to the Herald EventBridge bus named by EVENT_BUS_NAME. Locally the same client
 * talks to the local runtime's bus (AWS_ENDPOINT_URL_EVENTBRIDGE).
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

export interface OutgoingEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

export function createEventPublisher(env: NodeJS.ProcessEnv = process.env, client = new EventBridgeClient({})) {
  return {
    /**
     * Sends in calls of 10 (the PutEvents limit); throws naming the first entry the bus refused
     * (earlier calls stay sent: a retry may publish them twice, which targets must tolerate anyway).
     */
    async publish(events: OutgoingEvent[]): Promise<{ eventIds: string[] }> {
      const busName = env.EVENT_BUS_NAME;
      if (!busName) throw new Error('Invalid configuration: EVENT_BUS_NAME is not set; is this function wired to publish events?');
      const eventIds: string[] = [];
      for (let i = 0; i < events.length; i += 10) {
        const chunk = events.slice(i, i + 10);
        const out = await client.send(
          new PutEventsCommand({
            Entries: chunk.map((e) => ({
              EventBusName: busName,
              Source: e.source,
              DetailType: e.detailType,
              Detail: JSON.stringify(e.detail),
            })),
          }),
        );
        const failed = (out.Entries ?? []).findIndex((r) => r.ErrorCode);
        if (failed >= 0) {
          const entry = out.Entries?.[failed];
          throw new Error(
            `EventBridge refused ${out.FailedEntryCount} of ${chunk.length} events; event ${i + failed} (${chunk[failed]?.detailType}): ${entry?.ErrorCode}: ${entry?.ErrorMessage}`,
          );
        }
        eventIds.push(...(out.Entries ?? []).map((r) => r.EventId ?? ''));
      }
      return { eventIds };
    },
  };
}
