import { createSegmentRepo } from '../../db/segment-repo.ts';
import { once } from '../provide.ts';
import { table } from './table.ts';

export const segmentStore = /* @__PURE__ */ once(() => createSegmentRepo(table().doc, table().name));
