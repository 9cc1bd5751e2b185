/**
 * Sign-in. Locally: paste the bearer token `npm start` prints (checked with one API call before
 * it is kept), or open the link it prints, which signs in by itself. On AWS: a button to the
 * Cognito hosted UI (auth/cognito.ts).
 */
import { Alert, Button, Center, Code, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { contactApi } from '@shared/api/contract/contacts.ts';
import { type FormEvent, useEffect, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ApiError, apiOf } from '../api/client.ts';
import { useAuth, useSignedIn } from '../app/use-auth.ts';
import { HOME } from '../app/routes.tsx';
import { canSignInWithRedirect, canSignInWithToken } from '../auth/index.ts';

const contacts = apiOf(contactApi);

export function SignInPage() {
  const auth = useAuth();
  const signedIn = useSignedIn();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? HOME;
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  useEffect(() => {
    document.title = 'Sign in · Herald';
  }, []);

  if (signedIn) return <Navigate to={from} replace />;
  const notice = auth.notice();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!canSignInWithToken(auth)) return;
    if (!token.trim()) return setError('Paste the bearer token that npm start printed.');
    setPending(true);
    setError(undefined);
    try {
      // The token is checked before it is kept: one small read with it.
      const probe = { token: async () => token.trim(), rejected: () => undefined };
      await contacts.listContacts({ query: { limit: 1 } }, { auth: probe });
      auth.signIn(token);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? `The API refused this token: ${e.message}` : (e as Error).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={440}>
        <Stack>
          <Title order={1} size="h2">
            Sign in to Herald
          </Title>
          {notice && (
            <Alert color="yellow" variant="light" role="status">
              {notice}
            </Alert>
          )}
          {canSignInWithToken(auth) ? (
            <form onSubmit={submit} noValidate>
              <Stack>
                <Text size="sm">
                  Paste the bearer token that <Code>npm start</Code> printed, or open the sign-in link it printed.
                </Text>
                <PasswordInput
                  label="Bearer token"
                  value={token}
                  onChange={(e) => setToken(e.currentTarget.value)}
                  error={error}
                  autoComplete="off"
                  required
                  data-autofocus
                />
                <Button type="submit" loading={pending}>
                  Sign in
                </Button>
              </Stack>
            </form>
          ) : canSignInWithRedirect(auth) ? (
            <Stack>
              <Text size="sm">Sign in with your Herald account (your password and the code of your authenticator app).</Text>
              <Button
                loading={pending}
                onClick={() => {
                  setPending(true);
                  void auth.signInWithRedirect(from);
                }}
              >
                Sign in
              </Button>
            </Stack>
          ) : null}
        </Stack>
      </Paper>
    </Center>
  );
}
