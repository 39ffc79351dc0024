import { readFile, stat } from 'node:fs/promises';

const notFound = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Whether anything is at `path`. Errors other than "not found" (permissions, I/O) are thrown, not read as absence. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (notFound(error)) return false;
    throw error;
  }
}

/** A UTF-8 file's text, or undefined when it does not exist; other errors are thrown. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}
