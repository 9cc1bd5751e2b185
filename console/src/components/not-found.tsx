import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from './page-header.tsx';

export function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Text>
        There is no page at this address.{' '}
        <Anchor component={Link} to="/">
          Go to the start page
        </Anchor>
        .
      </Text>
    </>
  );
}
