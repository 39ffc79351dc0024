import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { written } from '../site-data/format.ts';
import { projectHref } from '../site-data/links.ts';
import { siteData } from '../site-data/portfolio.ts';
import { runFacts } from '../site-data/run-facts.ts';

/** One item per project, dated by its latest run, so a reader's feed shows new results. */
export const GET: APIRoute = async (context) => {
  const { config, projects } = await siteData();
  return rss({
    title: config.site.title,
    description: config.site.description,
    site: context.site ?? config.site.url,
    items: projects.map((project) => {
      const facts = project.run ? runFacts(project.run, `The RSS item of "${project.slug}"`) : undefined;
      return {
        title: project.spec.title,
        link: projectHref(project.slug),
        description: [facts?.impact?.headline ?? 'Impact not measured yet.', written(project.spec.summary)]
          .filter((part) => part !== undefined)
          .join(' '),
        ...(project.run ? { pubDate: new Date(project.run.createdAt) } : {}),
        categories: project.spec.tags,
      };
    }),
  });
};
