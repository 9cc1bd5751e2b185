/** An import's page: its progress and row errors, for coming back to a job later. */
import { useParams } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { ImportJobView } from './import-job.tsx';

export default function ImportJobPage() {
  const { importId = '' } = useParams();
  return (
    <>
      <PageHeader title="Import" />
      <ImportJobView importId={importId} />
    </>
  );
}
