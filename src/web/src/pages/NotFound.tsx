import { AppLink } from '../router';
import { PageHeading } from '../components/ui';

export function NotFoundPage() {
  return (
    <>
      <PageHeading>Page not found</PageHeading>
      <p>
        There is no page at this address. <AppLink to="/">Go to the start page</AppLink>.
      </p>
    </>
  );
}
