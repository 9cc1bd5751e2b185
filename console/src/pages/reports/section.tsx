/** A titled part of a report page: an h2 that names the region, an optional line of explanation. */
import { Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';

export function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <Stack component="section" aria-labelledby={id} gap="sm">
      <div>
        <Title order={2} size="h3" id={id}>
          {title}
        </Title>
        {description && (
          <Text size="sm" c="dimmed" maw={820}>
            {description}
          </Text>
        )}
      </div>
      {children}
    </Stack>
  );
}
