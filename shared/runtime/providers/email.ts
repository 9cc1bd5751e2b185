import { createSesEmailSender } from '../../aws/email.ts';
import { EmailEnv, loadEnv } from '../../config/env.ts';
import { once } from '../provide.ts';

export const sesEmail = /* @__PURE__ */ once(() => createSesEmailSender(undefined, loadEnv(EmailEnv).EMAIL_CONFIGURATION_SET));
