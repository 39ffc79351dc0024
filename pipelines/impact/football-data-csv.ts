import { MlfolioError } from '../../portfolio/errors.ts';

/** Decimal odds on home win, draw and away win, in class order. */
export type Odds = [number, number, number];

export interface OddsMatch {
  /** ISO date (football-data writes dd/mm/yyyy or dd/mm/yy). */
  date: string;
  league: string;
  homeTeam: string;
  awayTeam: string;
  homeGoals: number;
  awayGoals: number;
  odds: Odds;
}

export interface OddsTable {
  matches: OddsMatch[];
  /** Rows left out, with the reason and the 2-based line number in the file. */
  excluded: { line: number; reason: string }[];
  bookmaker: string;
}

const required = ['Div', 'Date', 'HomeTeam', 'AwayTeam', 'FTHG', 'FTAG'] as const;

/**
 * Reads a football-data.co.uk results CSV (one row per match, odds in columns such as `AvgH`,
 * `AvgD`, `AvgA` or `B365H`…). Rows without a score or without the chosen bookmaker's odds are
 * excluded with the reason; a missing column is an error naming the file and the columns found.
 */
export function readFootballDataCsv(text: string, file: string, bookmaker = 'Avg'): OddsTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '');
  const column = new Map(header.map((name, i) => [name.trim(), i]));
  const oddsColumns = ['H', 'D', 'A'].map((c) => `${bookmaker}${c}`);
  for (const name of [...required, ...oddsColumns]) {
    if (!column.has(name)) {
      throw new MlfolioError({
        code: 'E_COLUMN_MISSING',
        message: `${file}: the football-data CSV has no column "${name}" (columns: ${header.slice(0, 12).join(', ')}${header.length > 12 ? ', …' : ''}).`,
        hint: name.startsWith(bookmaker)
          ? `Choose a bookmaker whose odds the file has (impact.betting.bookmaker), e.g. Avg, B365 or PS.`
          : 'Download the results file again from football-data.co.uk; it must keep the standard header.',
      });
    }
  }
  const matches: OddsMatch[] = [];
  const excluded: { line: number; reason: string }[] = [];
  for (let l = 1; l < lines.length; l++) {
    if (!lines[l]!.trim()) continue;
    const cells = splitCsvLine(lines[l]!);
    const get = (name: string) => (cells[column.get(name)!] ?? '').trim();
    const homeGoals = get('FTHG');
    const awayGoals = get('FTAG');
    if (homeGoals === '' || awayGoals === '') {
      excluded.push({ line: l + 1, reason: 'no score' });
      continue;
    }
    const odds = oddsColumns.map((name) => Number(get(name)));
    if (odds.some((o) => !Number.isFinite(o) || o <= 1 || get(oddsColumns[0]!) === '')) {
      excluded.push({ line: l + 1, reason: `no ${bookmaker} odds` });
      continue;
    }
    matches.push({
      date: isoDate(get('Date'), file, l + 1),
      league: get('Div'),
      homeTeam: get('HomeTeam'),
      awayTeam: get('AwayTeam'),
      homeGoals: Number(homeGoals),
      awayGoals: Number(awayGoals),
      odds: odds as Odds,
    });
  }
  return { matches, excluded, bookmaker };
}

function isoDate(value: string, file: string, line: number): string {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(value);
  if (!match) {
    throw new MlfolioError({
      code: 'E_VALUE_INVALID',
      message: `${file}, line ${line}: column "Date" holds ${JSON.stringify(value)}, expected dd/mm/yyyy.`,
      hint: 'Fix or remove that row.',
    });
  }
  const [, day, month, year] = match;
  const fullYear = year!.length === 2 ? `20${year}` : year!;
  return `${fullYear}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
}

/** Splits one CSV line, honouring double-quoted cells with embedded commas and doubled quotes. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}
