import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import { defineConfig } from 'astro/config';

// SITE_URL and BASE_PATH let a deployment (for example GitHub Pages at /<repo>/) set where the
// site lives; links inside the site are built from import.meta.env.BASE_URL.
export default defineConfig({
  site: process.env.SITE_URL ?? 'https://example.github.io',
  base: process.env.BASE_PATH ?? '/',
  trailingSlash: 'always',
  integrations: [mdx(), sitemap()],
  build: { inlineStylesheets: 'always' },
  // Shiki's inline styles would need 'unsafe-inline' under the CSP; the site shows no code blocks.
  markdown: { syntaxHighlight: false },
  // Astro hashes every script and stylesheet it emits into the page's CSP meta tag; nothing inline
  // runs unless Astro emitted it, which keeps scraped strings inert even if one slipped through.
  security: {
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
    },
  },
  vite: {
    build: {
      rolldownOptions: {
        onwarn(warning, warn) {
          // Harmless noise for MDX content entries: https://github.com/withastro/astro/issues/18087
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('astro:head-inject'))
            return;
          warn(warning);
        },
      },
    },
  },
});
