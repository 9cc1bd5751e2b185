/**
 * The settings area's own navigation (one "Settings" entry in the side navigation leads here):
 * links, not tabs, since each section is a page with its own address; React Router marks the
 * current one with aria-current="page".
 */
import { Button, Group } from '@mantine/core';
import { NavLink, useLocation } from 'react-router';

export const SECTIONS = [
  { to: '/settings/sending', label: 'Sending' },
  { to: '/settings/topics', label: 'Topics' },
  { to: '/settings/lifecycle', label: 'Lifecycle' },
  { to: '/settings/webhooks', label: 'Webhooks' },
  { to: '/settings/suppressions', label: 'Suppression list' },
] as const;

export function SettingsNav() {
  const { pathname } = useLocation();
  return (
    <Group component="nav" aria-label="Settings sections" gap={4} mb="md" wrap="wrap">
      {SECTIONS.map((s) => {
        const current = pathname === s.to || pathname.startsWith(`${s.to}/`);
        return (
          <Button
            key={s.to}
            component={NavLink}
            to={s.to}
            size="compact-md"
            variant={current ? 'light' : 'subtle'}
            fw={current ? 700 : 500}
          >
            {s.label}
          </Button>
        );
      })}
    </Group>
  );
}
