/**
 * Recognises the pages anti-bot services serve instead of content (Cloudflare's "Just a moment…"
 * interstitial, CAPTCHA walls, Akamai's "Access Denied"). Such a page is a refusal even when its
 * status is 200, and retrying it only deepens the ban. Returns the reason, or undefined.
 */
export function detectBotChallenge(
  status: number,
  headers: Record<string, string>,
  body: Buffer,
): string | undefined {
  if (headers['cf-mitigated'] === 'challenge') return 'Cloudflare challenge (cf-mitigated: challenge)';
  // Challenge pages are small; a full stats page that mentions "captcha" in a script is not one.
  if (body.length > 64 * 1024) return undefined;
  const raw = body.subarray(0, 16 * 1024).toString('latin1');
  const head = raw.toLowerCase();
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(raw)?.[1]?.trim() ?? '';
  const challengeTitle =
    /just a moment|attention required|checking your browser|captcha|are you a robot|verify you are human|access denied/i;
  if (challengeTitle.test(title)) return `challenge page "${title}"`;
  if (status !== 200 && /cf-chl-|challenge-platform|g-recaptcha|h-captcha/.test(head)) {
    return 'CAPTCHA or JavaScript challenge in the response';
  }
  return undefined;
}
