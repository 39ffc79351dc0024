import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MlfolioError } from '../portfolio/errors.ts';
import { type DecodedText, decodeBody } from './extract/decode.ts';
import type { PoliteFetcher } from './fetch/polite-fetcher.ts';

export interface LoadedPage {
  /** The URL fetched, or the file's `file://` URL. */
  location: string;
  /** The URL relative links resolve against (after redirects). */
  baseUrl: string;
  decoded: DecodedText;
  from: 'file' | 'network' | 'store' | 'revalidated';
}

/**
 * Reads a page named on the command line: an http(s) URL goes through the polite fetcher (and
 * its snapshot store), anything else is a local file. Either way the bytes are decoded by the
 * same rules.
 */
export async function loadPage(target: string, fetcher: () => PoliteFetcher): Promise<LoadedPage> {
  if (/^https?:\/\//i.test(target)) {
    const page = await fetcher().fetch(target);
    return {
      location: page.url,
      baseUrl: page.finalUrl,
      decoded: decodeBody(page.body, page.headers['content-type']),
      from: page.from,
    };
  }
  const path = resolve(target);
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_PAGE_UNREADABLE',
        message: `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
        hint: 'Pass an http(s) URL or the path of a saved HTML file.',
      },
      { cause: error },
    );
  }
  const location = pathToFileURL(path).href;
  return { location, baseUrl: location, decoded: decodeBody(body), from: 'file' };
}
