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
