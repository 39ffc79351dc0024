/** Every internal link goes through here, so a deployment under a base path (GitHub Pages) keeps working. */
const base = import.meta.env.BASE_URL.endsWith('/')
  ? import.meta.env.BASE_URL
  : `${import.meta.env.BASE_URL}/`;

export function href(path = ''): string {
  return `${base}${path.replace(/^\//, '')}`;
}

export type ProjectPage = 'index' | 'model-card' | 'walkthrough' | 'demo';

export function projectHref(slug: string, page: ProjectPage = 'index'): string {
  return href(page === 'index' ? `projects/${slug}/` : `projects/${slug}/${page}/`);
}

export function socialImageHref(slug: string): string {
  return href(`projects/${slug}/social.png`);
}

/** A trained model's artifact as served to the demo. */
export function modelArtifactHref(slug: string, modelId: string): string {
  return href(`projects/${slug}/models/${modelId}.json`);
}

/**
 * Whether a project has an in-browser demo: once it has a run of the declared engine, whose model
 * and online store the demo reads (a run left by the retired version 1 pipeline has neither).
 */
export const hasDemo = (project: { run?: { schemaVersion: number } | undefined }) =>
  project.run?.schemaVersion === 2;
