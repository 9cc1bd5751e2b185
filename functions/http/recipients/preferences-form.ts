/** GET of the preference page (the same handler as the POST, which it routes by method). */
export { handler } from './preferences.ts';
