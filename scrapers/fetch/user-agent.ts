import { MlfolioError } from '../../portfolio/errors.ts';

const toolName = 'mlfolio';
const toolVersion = '0.1.0';
const toolUrl = 'https://github.com/mlfolio/mlfolio';

/**
 * The User-Agent every request sends: it names the tool and, when the user gives one, a contact
 * address, so a site operator who sees our traffic can reach a person instead of banning a range.
 * `contact` is an e-mail address or an http(s) URL; anything else is rejected.
 */
export function userAgent(contact?: string): string {
  if (contact === undefined || contact === '') return `${toolName}/${toolVersion} (+${toolUrl})`;
  const isEmail = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/.test(contact);
  const isUrl = /^https?:\/\/[^\s()]+$/.test(contact);
  if (!isEmail && !isUrl) {
    throw new MlfolioError({
      code: 'E_CONTACT_INVALID',
      message: `The contact "${contact}" is neither an e-mail address nor an http(s) URL.`,
      hint: 'Pass --contact you@example.com (or set MLFOLIO_CONTACT), so site operators can reach you.',
    });
  }
  return `${toolName}/${toolVersion} (+${toolUrl}; contact: ${contact})`;
}
