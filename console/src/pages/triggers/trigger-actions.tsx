/**
 * Turning a trigger on and off: on is a launch (a draft) or a resume (paused), off is a pause;
 * cancel ends it for good. The same status machine as any campaign, in a trigger's words.
 */
import type { Campaign } from '@shared/domain/campaign.ts';
import type { ActionCopy, CampaignAction } from '../campaigns/campaign-actions.tsx';
import { count } from '../campaigns/words.tsx';

/** The action that turns a trigger on or off from its status, if any. */
export function toggleOf(status: Campaign['status']): { action: CampaignAction; label: string } | undefined {
  if (status === 'draft') return { action: 'launch', label: 'Turn on…' };
  if (status === 'paused') return { action: 'resume', label: 'Turn on…' };
  if (status === 'sending') return { action: 'pause', label: 'Turn off…' };
  return undefined;
}

export function triggerCopy(action: CampaignAction, c: Campaign, waiting?: number): ActionCopy {
  const name = `“${c.name}”`;
  switch (action) {
    case 'launch':
      return {
        title: 'Turn this trigger on?',
        button: 'Turn on',
        body: (
          <>
            From now on, {name} starts a firing for each contact it picks and sends one message per firing after its wait. Events from
            before now start nothing.{c.trigger?.on.stage ? ' The contact base is read once to schedule the stage checks.' : ''}
          </>
        ),
        done: () => `${c.name} is on.`,
      };
    case 'resume':
      return {
        title: 'Turn this trigger back on?',
        button: 'Turn on',
        body: <>Events from now on start firings of {name} again. Firings dropped while it was off stay dropped.</>,
        done: () => `${c.name} is on again.`,
      };
    case 'pause':
      return {
        title: 'Turn this trigger off?',
        button: 'Turn off',
        body: (
          <>
            While {name} is off, events start nothing, and a waiting firing that comes due is dropped (“trigger off when due”)
            {waiting !== undefined ? `: ${count(waiting)} waiting now` : ''}. You can turn it on again.
          </>
        ),
        done: () => `${c.name} is off.`,
      };
    case 'cancel':
      return {
        title: 'Cancel this trigger for good?',
        button: 'Cancel trigger',
        danger: true,
        body: <>{name} stops for good: nothing more is sent and waiting firings are dropped. This cannot be undone.</>,
        done: () => `${c.name} is cancelled.`,
      };
    case 'delete':
      return {
        title: 'Delete this draft?',
        button: 'Delete draft',
        danger: true,
        body: <>The draft trigger {name} is deleted. It never ran.</>,
        done: () => `Draft ${c.name} deleted.`,
      };
  }
}
