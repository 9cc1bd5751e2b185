/**
 * A campaign's live counts as progress bars and numbers: how much of the audience is done, sent,
 * delivered, opened, clicked; skipped and failed by reason; deferred, holdout, pending; and a
 * table per variant. Every bar has its numbers in text beside it.
 */
import { Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { CampaignCounts, CampaignStatus } from '@shared/domain/campaign.ts';
import { totalsOf } from './totals.ts';
import { count, FAIL_REASONS, percent, reasonText, SKIP_REASONS } from './words.tsx';

function Bar({ label, part, whole, of, color }: { label: string; part: number; whole: number; of: string; color?: string }) {
  const p = percent(part, whole);
  return (
    <div>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="sm" ta="right">
          {count(part)} {whole > 0 ? `of ${count(whole)} ${of} (${p}%)` : ''}
        </Text>
      </Group>
      <Progress value={p} color={color} size="md" aria-label={`${label}: ${count(part)} of ${count(whole)} ${of}, ${p}%`} />
    </div>
  );
}

function Breakdown({
  title,
  total,
  reasons,
  words,
}: {
  title: string;
  total: number;
  reasons: Record<string, number>;
  words: Record<string, string>;
}) {
  const entries = Object.entries(reasons).filter(([, n]) => n > 0);
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {title}
      </Text>
      <Text fw={700} size="lg">
        {count(total)}
      </Text>
      {entries.length > 0 && (
        <Stack gap={0} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {entries.map(([reason, n]) => (
            <Text component="li" size="sm" key={reason}>
              {reasonText(reason, words)}: {count(n)}
            </Text>
          ))}
        </Stack>
      )}
    </Card>
  );
}

function Stat({ label, value, hint }: { label: string; value: number; hint?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg">
        {count(value)}
      </Text>
      {hint && <Text size="xs">{hint}</Text>}
    </Card>
  );
}

export function CampaignProgress({ counts, status, triggered }: { counts: CampaignCounts; status: CampaignStatus; triggered?: boolean }) {
  const t = totalsOf(counts);
  const variants = Object.entries(counts.variants);
  const resolving = !triggered && !counts.audienceResolved && (status === 'sending' || status === 'paused');
  return (
    <Stack>
      {!triggered && (
        <Bar
          label={resolving ? 'Done so far (the audience is still being read)' : 'Done'}
          part={t.finished}
          whole={t.audience}
          of="recipients"
          color={status === 'completed' ? 'green' : undefined}
        />
      )}
      <Bar label="Sent" part={t.sent} whole={t.queued} of="assigned to a variant" />
      <Bar label="Delivered" part={t.delivered} whole={t.sent} of="sent" color="teal" />
      <Bar label="Opened" part={t.opened} whole={t.sent} of="sent" color="grape" />
      <Bar label="Clicked" part={t.clicked} whole={t.sent} of="sent" color="indigo" />
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
        <Stat label={triggered ? 'Records' : 'Audience'} value={t.audience} hint={resolving ? 'still growing' : undefined} />
        <Stat label="Holdout" value={t.holdout} hint="no message, for comparison" />
        <Stat label="Waiting to send" value={t.pending} hint="queued or deferred" />
        <Stat label="Deferred" value={t.deferred} hint="quiet hours or local time" />
        <Stat label="Unknown" value={t.unknown} hint="may have been sent once" />
        <Breakdown title="Skipped" total={t.skipped} reasons={counts.skipped} words={SKIP_REASONS} />
        <Breakdown title="Failed" total={t.failed} reasons={counts.failed} words={FAIL_REASONS} />
        <Stat label="Bounced" value={t.bounced} />
        <Stat label="Complained" value={t.complained} />
        <Stat label="Unsubscribed" value={t.unsubscribed} />
        {t.cancelled > 0 && <Stat label="Cancelled" value={t.cancelled} hint="pending when cancelled" />}
      </SimpleGrid>
      {variants.length > 0 && (
        <div>
          <Title order={3} size="h5" id="variant-counts" mb={4}>
            By variant
          </Title>
          <Table.ScrollContainer minWidth={560}>
            <Table aria-labelledby="variant-counts" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Variant</Table.Th>
                  {['Assigned', 'Sent', 'Delivered', 'Opened', 'Clicked', 'Bounced', 'Unsubscribed'].map((h) => (
                    <Table.Th scope="col" ta="right" key={h}>
                      {h}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {variants.map(([name, v]) => (
                  <Table.Tr key={name}>
                    <Table.Th scope="row">{name}</Table.Th>
                    {[v.queued, v.sent, v.delivered, v.opened, v.clicked, v.bounced, v.unsubscribed].map((n, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                      <Table.Td ta="right" key={i}>
                        {count(n)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
      )}
    </Stack>
  );
}
