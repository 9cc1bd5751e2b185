/**
 * The status machine's actions (launch, pause, resume, cancel) and deleting a draft, each behind
 * a confirmation dialog that says what will happen and shows the API's refusal (a 409 names the
 * status: "cannot pause a campaign that is completed") without closing.
 */
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { Campaign } from '@shared/domain/campaign.ts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { invalidate } from '../../api/query.ts';
import { ErrorAlert } from '../../components/request-state.tsx';
import { campaigns } from './campaigns-api.ts';
import { notifyDone } from './notify.ts';

export type CampaignAction = 'launch' | 'pause' | 'resume' | 'cancel' | 'delete';

/** Which actions a status allows (the API's status machine; delete: drafts only). */
export function actionsFor(c: Pick<Campaign, 'status'>): CampaignAction[] {
  switch (c.status) {
    case 'draft':
      return ['launch', 'delete'];
    case 'scheduled':
      return ['cancel'];
    case 'sending':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    default:
      return [];
  }
}

export function useCampaignAction(campaignId: string, onDone?: (action: CampaignAction, result: Campaign | undefined) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action: CampaignAction): Promise<Campaign | undefined> => {
      const path = { campaignId };
      switch (action) {
        case 'launch':
          return campaigns.launchCampaign({ path });
        case 'pause':
          return campaigns.pauseCampaign({ path });
        case 'resume':
          return campaigns.resumeCampaign({ path });
        case 'cancel':
          return campaigns.cancelCampaign({ path });
        case 'delete':
          await campaigns.deleteCampaign({ path });
          return undefined;
      }
    },
    onSuccess: async (result, action) => {
      if (action === 'delete') {
        // Not getCampaign: the page still shows it, and a refetch of what was deleted would only answer 404.
        onDone?.(action, result);
        await invalidate(queryClient, campaigns.listCampaigns);
        return;
      }
      await invalidate(queryClient, campaigns.listCampaigns, campaigns.getCampaign, campaigns.listRecipients);
      onDone?.(action, result);
    },
  });
}

export interface ActionCopy {
  title: string;
  body: ReactNode;
  button: string;
  danger?: boolean;
  done: (c: Campaign | undefined) => string;
}

/** A confirmation: what will happen, the API's answer if it refuses, and the button that does it. */
export function ActionDialog({
  copy,
  opened,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  copy: ActionCopy | undefined;
  opened: boolean;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={copy?.title} centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack>
        <Text size="sm" component="div">
          {copy?.body}
        </Text>
        {error ? <ErrorAlert error={error} title={`Could not ${copy?.button.toLowerCase() ?? 'do it'}`} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button color={copy?.danger ? 'red' : undefined} loading={pending} onClick={onConfirm} data-autofocus>
            {copy?.button}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Shows the notification for an action that went through. */
export function notifyAction(copy: ActionCopy, result: Campaign | undefined) {
  notifyDone(copy.done(result));
}
