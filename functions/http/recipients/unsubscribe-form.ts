/** GET of an unsubscribe link: the confirmation page (the same handler as the POST, which it routes by method). */
export { handler } from './unsubscribe.ts';
