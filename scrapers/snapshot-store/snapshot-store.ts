import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../portfolio/atomic-write.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { pathExists, readTextIfExists } from '../../portfolio/files.ts';
import { sha256 } from '../../portfolio/hash.ts';
import { parseWith } from '../../portfolio/validate.ts';
import {
  canonicalUrl,
  type Snapshot,
  type SnapshotEntry,
  selectHeaders,
  snapshotEntrySchema,
} from './snapshot-entry.ts';

export interface StoreResponse {
  method?: string;
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  fetchedAt: Date;
}

/**
 * Raw responses on disk, content-addressed:
 *
 *     <root>/blobs/<sha256[0..2]>/<sha256>   the body bytes, stored once however many URLs share them
 *     <root>/entries/<sha256(method url)>.json  the manifest entry for one request
 *
 * Every file is written atomically (temp file + rename) and a blob is always written before the
 * entry that names it, so a crash at any point leaves a store whose entries all resolve. Two
 * processes may share a store: the worst case is the same blob written twice with equal bytes.
 */
export class SnapshotStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** The stored response for `url`, or undefined. Throws if the body no longer matches its hash. */
  async get(url: string, method = 'GET'): Promise<Snapshot | undefined> {
    const entry = await this.entry(url, method);
    if (!entry) return undefined;
    const file = this.#blobPath(entry.sha256);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (error) {
      throw corrupt(`${file} (the body of ${entry.url}) is missing`, error);
    }
    if (sha256(body) !== entry.sha256) throw corrupt(`${file} does not match its sha256 ${entry.sha256}`);
    return { entry, body };
  }

  /** The manifest entry for `url` without reading the body, or undefined. */
  async entry(url: string, method = 'GET'): Promise<SnapshotEntry | undefined> {
    const file = this.#entryPath(canonicalUrl(url), method);
    const text = await readTextIfExists(file);
    if (text === undefined) return undefined;
    return parseWith(snapshotEntrySchema, JSON.parse(text), file, 'E_SNAPSHOT_INVALID');
  }

  async has(url: string, method = 'GET'): Promise<boolean> {
    return (await this.entry(url, method)) !== undefined;
  }

  /** Stores a response and returns its manifest entry. */
  async put(response: StoreResponse): Promise<SnapshotEntry> {
    const method = response.method ?? 'GET';
    const hash = sha256(response.body);
    const blob = this.#blobPath(hash);
    if (!(await pathExists(blob))) await writeFileAtomic(blob, response.body);
    const entry: SnapshotEntry = {
      version: 1,
      method,
      url: canonicalUrl(response.url),
      finalUrl: response.finalUrl,
      status: response.status,
      headers: selectHeaders(response.headers),
      fetchedAt: response.fetchedAt.toISOString(),
      bytes: response.body.length,
      sha256: hash,
    };
    await writeJsonAtomic(this.#entryPath(entry.url, method), entry);
    return entry;
  }

  /** Records that a conditional request found the stored bytes still current. */
  async markValidated(url: string, at: Date, method = 'GET'): Promise<SnapshotEntry | undefined> {
    const entry = await this.entry(url, method);
    if (!entry) return undefined;
    const updated = { ...entry, validatedAt: at.toISOString() };
    await writeJsonAtomic(this.#entryPath(entry.url, method), updated);
    return updated;
  }

  /** Every manifest entry, sorted by URL. */
  async list(): Promise<SnapshotEntry[]> {
    const dir = join(this.root, 'entries');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries = await Promise.all(
      names
        .filter((name) => name.endsWith('.json'))
        .map(async (name) => {
          const file = join(dir, name);
          return parseWith(
            snapshotEntrySchema,
            JSON.parse(await readFile(file, 'utf8')),
            file,
            'E_SNAPSHOT_INVALID',
          );
        }),
    );
    return entries.sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  }

  async ensure(): Promise<void> {
    await mkdir(join(this.root, 'entries'), { recursive: true });
  }

  #entryPath(url: string, method: string): string {
    return join(this.root, 'entries', `${sha256(`${method} ${url}`)}.json`);
  }

  #blobPath(hash: string): string {
    return join(this.root, 'blobs', hash.slice(0, 2), hash);
  }
}

function corrupt(what: string, cause?: unknown): MlfolioError {
  return new MlfolioError(
    {
      code: 'E_SNAPSHOT_CORRUPT',
      message: `The snapshot store is damaged: ${what}.`,
      hint: 'Delete that entry file under entries/ (the page is fetched again on the next live run).',
    },
    cause === undefined ? undefined : { cause },
  );
}
