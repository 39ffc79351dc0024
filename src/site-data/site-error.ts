import { MlfolioError, type MlfolioErrorSpec } from '../../portfolio/errors.ts';

/**
 * A build error thrown while rendering a page. Astro replaces an error's `hint` with its own when
 * it reports a failed page, so the hint also travels as `mlfolioHint`, which the publish step reads.
 */
export function siteError(spec: MlfolioErrorSpec, options?: { cause?: unknown }): MlfolioError {
  const error = new MlfolioError(spec, options);
  Object.defineProperty(error, 'mlfolioHint', { value: spec.hint, enumerable: true });
  return error;
}
