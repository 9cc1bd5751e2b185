/** Stylesheets are imported for their effect; Vite puts them in the CSS bundle. */
declare module '*.css';
