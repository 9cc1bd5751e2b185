/** HEAD of a tracked link (link scanners check before they fetch): the same answer, never counted as a click. */
export { handler } from './follow-link.ts';
