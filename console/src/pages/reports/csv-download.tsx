/**
 * "Download CSV": the report as the API writes it (`?format=csv`). A plain link cannot send the
 * bearer token, so the file is fetched with it and saved through a temporary object URL.
 */
import { Button } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/request-state.tsx';

export function CsvDownload({
  fileName,
  fetchCsv,
  label = 'Download CSV',
}: {
  fileName: string;
  fetchCsv: () => Promise<string>;
  label?: string;
}) {
  const download = useMutation({ mutationFn: fetchCsv, onSuccess: (text) => saveText(fileName, text, 'text/csv') });
  return (
    <>
      <Button variant="default" onClick={() => download.mutate()} loading={download.isPending}>
        {label}
      </Button>
      {download.isError && <ErrorAlert error={download.error} title="Could not download the CSV" />}
    </>
  );
}

function saveText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
