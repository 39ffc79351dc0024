import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { hashValue } from '../portfolio/hash.ts';
import type { Experiment } from './experiment-spec.ts';

/** One entry of a registration: the start, or an amendment with its reason. */
export interface RegistrationEntry {
  kind: 'start' | 'amendment';
  /** ISO time the entry was recorded. */
  at: string;
  reason?: string;
  /** Content hash of the experiment as declared at this entry. */
  specHash: string;
  /** Hash of the previous entry (empty for the start): the entries form a chain. */
  previousHash: string;
  /** Hash of this entry's fields above. */
  hash: string;
  experiment: Experiment;
}

/** The append-only record of an experiment's pre-registration and amendments. */
export interface Registration {
  key: string;
  entries: RegistrationEntry[];
}

export function registrationFile(directory: string, key: string): string {
  return join(directory, key, 'registration.json');
}

/** The content hash of an experiment declaration (key order does not matter). */
export function experimentHash(experiment: Experiment): string {
  return hashValue(experiment);
}

/**
 * Pre-registers `experiment` under `directory`: writes `<key>/registration.json` with its content
 * hash and start time. Refuses (`E_EXPERIMENT_ALREADY_STARTED`) if it was started before, even by a
 * concurrent process: the file is created by a hard link, which never overwrites.
 */
export async function startExperiment(
  directory: string,
  experiment: Experiment,
  now: Date = new Date(),
): Promise<Registration> {
  const file = registrationFile(directory, experiment.key);
  const registration: Registration = {
    key: experiment.key,
    entries: [entry('start', now, experiment, '', undefined)],
  };
  await mkdir(join(directory, experiment.key), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(registration, null, 2)}\n`);
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const existing = await readRegistration(directory, experiment.key);
    throw new MlfolioError({
      code: 'E_EXPERIMENT_ALREADY_STARTED',
      message: `Experiment "${experiment.key}" was already started at ${existing.entries[0]!.at} (${file}).`,
      hint: 'Keep analysing the running experiment; to change it, record an amendment with its reason; to run a new one, give it a new key.',
    });
  } finally {
    await rm(temporary, { force: true });
  }
  return registration;
}

/**
 * Records a change to a started experiment as an amendment (reason and time), keeping every earlier
 * entry. Refuses an amendment without a reason, one that changes nothing, or one that changes the
 * key or the assignment seed (which would reshuffle units already exposed).
 */
export async function amendExperiment(
  directory: string,
  experiment: Experiment,
  reason: string,
  now: Date = new Date(),
): Promise<Registration> {
  const registration = await readRegistration(directory, experiment.key);
  const last = registration.entries.at(-1)!;
  const where = registrationFile(directory, experiment.key);
  if (reason.trim().length < 5) {
    throw new MlfolioError({
      code: 'E_AMENDMENT_INVALID',
      message: `An amendment of experiment "${experiment.key}" needs a reason; received ${JSON.stringify(reason)}.`,
      hint: 'Say why the experiment changes (at least a few words); it is kept in the registration.',
    });
  }
  if (experimentHash(experiment) === last.specHash) {
    throw new MlfolioError({
      code: 'E_AMENDMENT_INVALID',
      message: `The amendment of experiment "${experiment.key}" changes nothing: it matches the registered declaration (${where}).`,
      hint: 'Edit the experiment first, then record the amendment.',
    });
  }
  if (experiment.seed !== last.experiment.seed) {
    throw new MlfolioError({
      code: 'E_AMENDMENT_INVALID',
      message: `The amendment of experiment "${experiment.key}" changes the assignment seed from "${last.experiment.seed}" to "${experiment.seed}", which reassigns units already exposed.`,
      hint: 'Keep the seed; to reassign units, start a new experiment with a new key.',
    });
  }
  registration.entries.push(entry('amendment', now, experiment, last.hash, reason.trim()));
  await writeJsonAtomic(where, registration);
  return registration;
}

/**
 * Reads and verifies a registration: the chain of entry hashes must be intact. Throws
 * `E_EXPERIMENT_NOT_STARTED` if there is none, `E_REGISTRATION_TAMPERED` if an entry was edited.
 */
export async function readRegistration(directory: string, key: string): Promise<Registration> {
  const file = registrationFile(directory, key);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new MlfolioError(
      {
        code: 'E_EXPERIMENT_NOT_STARTED',
        message: `Experiment "${key}" has no pre-registration (${file}).`,
        hint: 'Start it first: starting writes the pre-registration that its analysis is checked against.',
      },
      { cause: error },
    );
  }
  const registration = JSON.parse(text) as Registration;
  let previous = '';
  registration.entries.forEach((e, i) => {
    const expected = entryHash(e.kind, e.at, e.reason, experimentHash(e.experiment), previous);
    if (e.previousHash !== previous || e.specHash !== experimentHash(e.experiment) || e.hash !== expected) {
      throw new MlfolioError({
        code: 'E_REGISTRATION_TAMPERED',
        message: `${file}: entry ${i} (${e.kind} at ${e.at}) does not match its recorded hash; the registration was edited by hand.`,
        hint: 'Restore the file from version control; changes to an experiment are recorded as amendments.',
      });
    }
    previous = e.hash;
  });
  return registration;
}

/**
 * Checks that `experiment` is the registered one (its latest entry). Throws `E_EXPERIMENT_EDITED`
 * naming the changed fields if it was edited without an amendment.
 */
export async function checkRegistered(directory: string, experiment: Experiment): Promise<Registration> {
  const registration = await readRegistration(directory, experiment.key);
  const last = registration.entries.at(-1)!;
  if (experimentHash(experiment) !== last.specHash) {
    const fields = changedFields(last.experiment, experiment);
    throw new MlfolioError({
      code: 'E_EXPERIMENT_EDITED',
      message: `Experiment "${experiment.key}" differs from its registration (${registrationFile(directory, experiment.key)}) in: ${fields.join(', ')}.`,
      hint: 'Undo the edit, or record it as an amendment with its reason.',
    });
  }
  return registration;
}

function changedFields(a: Experiment, b: Experiment): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Experiment>;
  return [...keys].filter((key) => hashValue(a[key] ?? null) !== hashValue(b[key] ?? null)).sort();
}

function entry(
  kind: RegistrationEntry['kind'],
  now: Date,
  experiment: Experiment,
  previousHash: string,
  reason: string | undefined,
): RegistrationEntry {
  const at = now.toISOString();
  const specHash = experimentHash(experiment);
  return {
    kind,
    at,
    ...(reason === undefined ? {} : { reason }),
    specHash,
    previousHash,
    hash: entryHash(kind, at, reason, specHash, previousHash),
    experiment,
  };
}

function entryHash(
  kind: string,
  at: string,
  reason: string | undefined,
  specHash: string,
  previousHash: string,
): string {
  return hashValue({ kind, at, reason: reason ?? null, specHash, previousHash });
}
