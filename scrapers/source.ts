/**
 * A source turns some public origin (a package file, a JSON API, an HTML page) into validated
 * records. Transports decide where the bytes come from; the source decides what they mean.
 */
export interface CollectedDataset<R> {
  records: R[];
  /** Records that were read but left out, each with the reason: reported, never silently dropped. */
  excluded: ExcludedRecord[];
  provenance: Provenance;
}

export interface ExcludedRecord {
  /** Where the record came from: a file path or URL, plus its position there. */
  location: string;
  reason: string;
  record: unknown;
}

export interface Provenance {
  source: string;
  transport: string;
  /** Package name and version, or the URLs fetched. */
  origin: string[];
  licence: string;
  attribution: string;
  collectedAt: string;
  rows: number;
  excludedRows: number;
  /** sha256 of the canonical JSON of `records`. */
  sha256: string;
  firstDate?: string;
  lastDate?: string;
}
