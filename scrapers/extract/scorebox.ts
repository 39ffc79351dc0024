import { load } from 'cheerio';
import { ScrapeError } from '../scrape-error.ts';
import { cleanText } from './cell-value.ts';
import { linkId } from './link-id.ts';

export interface MatchScore {
  home: { name: string; id: string | undefined; score: number };
  away: { name: string; id: string | undefined; score: number };
  /** The date the page gives for the event (YYYY-MM-DD), if it gives one. */
  date: string | undefined;
}

const noPlay = /\b(cancell?ed|postponed|abandoned|suspended|awarded|walkover|not played)\b/i;

/**
 * Reads the final score from a sports-reference-style match page (`.scorebox`: FBref,
 * basketball-/pro-football-reference box scores; home team first on FBref). A match that was not
 * played ("Match Cancelled", a score of "--") is a `no-data` error naming the reason, never a
 * 0–0; a page without a scorebox is `layout-changed`.
 */
export function extractMatchScore(html: string, url: string): MatchScore {
  const $ = load(html);
  const box = $('.scorebox').first();
  if (!box.length) {
    throw new ScrapeError('layout-changed', {
      code: 'E_LAYOUT_CHANGED',
      url,
      message: 'no element matches .scorebox, where the match score should be.',
      hint: 'Check the page in a browser; if the layout changed, update the scorebox selector.',
    });
  }
  const teams = box
    .children('div')
    .filter((_, el) => $(el).find('.score').length > 0)
    .toArray()
    .map((el) => {
      const link = $(el).find('strong a[href], a[itemprop="name"]').first();
      return {
        name: cleanText(link.text() || $(el).find('strong').first().text()),
        id: link.attr('href') ? linkId(link.attr('href')!) : undefined,
        scoreText: cleanText($(el).find('.score').first().text()),
      };
    });
  const meta = cleanText(box.find('.scorebox_meta').text());
  const date = box.find('[data-venue-date]').attr('data-venue-date') ?? /\d{4}-\d{2}-\d{2}/.exec(meta)?.[0];
  const reason = noPlay.exec(meta)?.[0];
  const [home, away] = teams;
  const scores = teams.map((team) => /^\d+$/.exec(team.scoreText.replace(/\*$/, ''))?.[0]);
  if (reason || !home || !away || scores.some((score) => score === undefined)) {
    const shown = teams.map((team) => `${team.name || '?'} "${team.scoreText}"`).join(' vs ');
    throw new ScrapeError('no-data', {
      code: 'E_NO_DATA',
      url,
      message: `the match has no result${reason ? ` (the page says "${reason}")` : ''}: scorebox shows ${shown || 'no teams'}.`,
      hint: 'Matches that were not played are left out of the dataset, never counted as 0–0.',
    });
  }
  return {
    home: { name: home.name, id: home.id, score: Number(scores[0]) },
    away: { name: away.name, id: away.id, score: Number(scores[1]) },
    date,
  };
}
