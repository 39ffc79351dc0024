import type { APIRoute, GetStaticPaths } from 'astro';
import { siteData, siteProject } from '../../../site-data/portfolio.ts';
import { runFacts } from '../../../site-data/run-facts.ts';
import { socialImagePng } from '../../../site-data/social-image.ts';

export const getStaticPaths: GetStaticPaths = async () => {
  const { projects } = await siteData();
  return projects.map((project) => ({ params: { slug: project.slug } }));
};

/** The project's social preview (OpenGraph / Twitter card), rendered at build time. */
export const GET: APIRoute = async ({ params }) => {
  const project = await siteProject(params.slug as string);
  const { config } = await siteData();
  const facts = project.run ? runFacts(project.run, `The social image of "${project.slug}"`) : undefined;
  const png = socialImagePng({ builder: config.builder.name, title: project.spec.title, facts });
  return new Response(png as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'image/png' } });
};
