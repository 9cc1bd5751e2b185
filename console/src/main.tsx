/** Start: read /config.json, set up the Auth and the API client, render the router. */
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { configureApi } from './api/client.ts';
import { loadConfig } from './app/config.ts';
import { AppProviders, createQueryClient } from './app/providers.tsx';
import { createRouter } from './app/router.tsx';
import { createAuth } from './auth/index.ts';

const root = createRoot(document.getElementById('root') as HTMLElement);

try {
  const config = await loadConfig();
  const auth = createAuth(config.auth);
  await auth.ready(); // back from a sign-in redirect: the tokens first
  configureApi({ apiUrl: config.apiUrl, auth });
  root.render(
    <StrictMode>
      <AppProviders auth={auth} queryClient={createQueryClient()}>
        <RouterProvider router={createRouter()} />
      </AppProviders>
    </StrictMode>,
  );
} catch (error) {
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = `The console could not start: ${(error as Error).message}`;
  document.getElementById('root')?.replaceChildren(p);
}
