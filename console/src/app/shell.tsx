/**
 * The app shell: a skip link, the header (name, sign-out), the side navigation (a drawer behind
 * a button below the `md` breakpoint, 992 px, so a tablet in portrait gives the page its full
 * width) and the page. Signed out, it sends the browser to the sign-in page and back afterwards.
 */
import { Anchor, AppShell, Box, Burger, Button, Group, Loader, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect } from 'react';
import { Navigate, NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';
import { pages } from './routes.tsx';
import { useAuth, useSignedIn } from './use-auth.ts';

export function Shell() {
  const auth = useAuth();
  const signedIn = useSignedIn();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [opened, { toggle, close }] = useDisclosure(false);
  // A page change closes the drawer on small screens.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only
  useEffect(() => close(), [location.pathname]);

  if (!signedIn) return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'md', collapsed: { mobile: !opened } }} padding="md">
      <Anchor href="#main" className="skip-link">
        Skip to content
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="md"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Text fw={700} size="lg" component="span">
              Herald
            </Text>
          </Group>
          <Button
            variant="default"
            size="xs"
            onClick={() => {
              queryClient.clear();
              auth.signOut();
            }}
          >
            Sign out
          </Button>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {pages
          .filter((p) => p.nav)
          .map((p) => (
            <NavLink
              key={p.path}
              component={RouterNavLink}
              to={`/${p.path}`}
              label={p.nav}
              active={location.pathname === `/${p.path}` || location.pathname.startsWith(`/${p.path.split('/')[0]}/`)}
            />
          ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Box maw={1200}>
          <Suspense fallback={<Loader aria-label="Loading the page" />}>
            <Outlet />
          </Suspense>
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
