import { importApi } from '@shared/api/contract/imports.ts';
import { apiOf } from '../../api/client.ts';

export const imports = apiOf(importApi);
