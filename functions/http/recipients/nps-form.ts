/** GET of a score link (the same handler as the POST, which it routes by method). */
export { handler } from './nps.ts';
