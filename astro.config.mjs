import { join, resolve } from 'node:path';
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import { defineConfig } from 'astro/config';

// SITE_URL and BASE_PATH let a deployment (for example GitHub Pages at /<repo>/) set where the
// site lives; links inside the site are built from import.meta.env.BASE_URL.
// MLFOLIO_ROOT points the build at a portfolio workspace other than the current directory (tests
// build hostile and broken workspaces this way); `@content` is that workspace's content folder.
const workspaceRoot = resolve(process.env.MLFOLIO_ROOT ?? process.cwd());

export default defineConfig({
  site: process.env.SITE_URL ?? 'https://example.github.io',
  base: process.env.BASE_PATH ?? '/',
  trailingSlash: 'always',
  integrations: [mdx(), sitemap()],
  build: { inlineStylesheets: 'always' },
  // Shiki's inline styles would need 'unsafe-inline' under the CSP; the site shows no code blocks.
  markdown: { syntaxHighlight: false },
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
    resolve: { alias: { '@content': join(workspaceRoot, 'content') } },
    server: { fs: { strict: false } },
  },
});
