/// <reference types="astro/client" />

// tsc checks the .ts files; Astro's compiler checks the components themselves.
declare module '*.astro' {
  const component: import('astro/runtime/server/index.js').AstroComponentFactory;
  export default component;
}
