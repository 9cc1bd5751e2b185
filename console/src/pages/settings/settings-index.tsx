/** `/settings` leads to the first section. */
import { Navigate } from 'react-router';

export default function SettingsIndex() {
  return <Navigate to="/settings/sending" replace />;
}
