import { createSmsSender } from '../../aws/sms.ts';
import { loadEnv, SmsEnv } from '../../config/env.ts';
import { once } from '../provide.ts';

export const smsSender = /* @__PURE__ */ once(() => createSmsSender(undefined, loadEnv(SmsEnv).SMS_CONFIGURATION_SET));
