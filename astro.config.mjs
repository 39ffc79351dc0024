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
  vite: { server: { fs: { strict: false } } },
});
