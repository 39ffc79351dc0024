import type { APIRoute, GetStaticPaths } from 'astro';
import { siteData, siteProject } from '../../../../site-data/portfolio.ts';
import { readArtifact } from '../../../../site-data/run-files.ts';

export const getStaticPaths: GetStaticPaths = async () => {
  const { projects } = await siteData();
  return projects.flatMap((project) =>
    (project.run?.models ?? []).map((model) => ({ params: { slug: project.slug, model: model.id } })),
  );
};

/** Each trained model's artifact, for the demo to load when a reader picks a model not embedded in the page. */
export const GET: APIRoute = async ({ params }) => {
  const project = await siteProject(params.slug as string);
  const model = project.run?.models.find((m) => m.id === params.model);
  if (!model) return new Response(null, { status: 404 });
  return new Response(JSON.stringify(await readArtifact(project, model)), {
    headers: { 'Content-Type': 'application/json' },
  });
};
