/** The router: the sign-in page outside the shell, every page of routes.tsx inside it, lazily. */
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { NotFound } from '../components/not-found.tsx';
import { Loading } from '../components/request-state.tsx';
import { SignInPage } from '../pages/sign-in-page.tsx';
import { HOME, pages } from './routes.tsx';
import { Shell } from './shell.tsx';

export function routeObjects(): RouteObject[] {
  return [
    { path: '/sign-in', element: <SignInPage /> },
    {
      path: '/',
      element: <Shell />,
      // Shown while the first page's code loads.
      hydrateFallbackElement: <Loading label="Loading the console" />,
      children: [
        { index: true, element: <Navigate to={HOME} replace /> },
        ...pages.map((page) => ({
          path: page.path,
          lazy: async () => ({ Component: (await page.load()).default }),
        })),
        { path: '*', element: <NotFound /> },
      ],
    },
  ];
}

export const createRouter = () => createBrowserRouter(routeObjects());
