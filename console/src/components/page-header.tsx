/**
 * A page's title: the document title and the h1, which takes the focus when the page opens after
 * a navigation, so a screen reader announces where the user is and Tab starts from the page.
 */
import { Group, Title } from '@mantine/core';
import { type ReactNode, useEffect, useRef } from 'react';

export function PageHeader({ title, actions, children }: { title: string; actions?: ReactNode; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Herald`;
    // Not on the first page load: the browser's own focus handling is right there.
    if (document.activeElement && document.activeElement !== document.body) heading.current?.focus();
  }, [title]);
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="wrap" gap="sm">
      <div>
        <Title order={1} size="h2" ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
          {title}
        </Title>
        {children}
      </div>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}
