import { createSmsSender } from '../../aws/sms.ts';
import { once } from '../provide.ts';

export const smsSender = /* @__PURE__ */ once(() => createSmsSender());
