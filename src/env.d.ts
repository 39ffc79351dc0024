// tsc checks the .ts files only; Astro's compiler checks the components. This lets .ts modules
// (the MDX component map) import components.
declare module '*.astro' {
  const component: import('astro/runtime/server/index.js').AstroComponentFactory;
  export default component;
}
