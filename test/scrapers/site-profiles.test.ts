import { describe, expect, it } from 'vitest';
import { detectBotChallenge } from '../../scrapers/fetch/bot-challenge.ts';
import { userAgent } from '../../scrapers/fetch/user-agent.ts';
import { redactUrl } from '../../scrapers/scrape-error.ts';
import { policyForHost, profileForHost, profileNamed } from '../../scrapers/site-profiles.ts';

describe('site profiles', () => {
  it.each([
    ['www.basketball-reference.com', 'sports-reference', 12],
    ['www.pro-football-reference.com:443', 'sports-reference', 12],
    ['fbref.com', 'fbref', 6],
    ['raw.githubusercontent.com', 'github-raw', 60],
    ['127.0.0.1:8080', 'loopback', 0],
    ['example.org', undefined, 20],
    ['notbasketball-reference.com', undefined, 20],
  ])('gives %s the %s profile at %i requests/min', (host, profile, rate) => {
    expect(profileForHost(host)?.name).toBe(profile);
    expect(policyForHost(host).requestsPerMinute).toBe(rate);
  });

  it("applies a source file's overrides on top of the profile, and a forced profile to any host", () => {
    expect(policyForHost('fbref.com', { requestsPerMinute: 3 })).toMatchObject({
      requestsPerMinute: 3,
      obeyRobots: true,
    });
    expect(policyForHost('mirror.example', {}, profileNamed('fbref')).requestsPerMinute).toBe(6);
  });
});

describe('identity and redaction', () => {
  it('refuses a contact that is neither an e-mail address nor a URL', () => {
    expect(() => userAgent('call me maybe')).toThrow(/E_CONTACT_INVALID|neither an e-mail/);
    expect(userAgent('https://me.example/about')).toContain('contact: https://me.example/about');
    expect(userAgent()).toMatch(/^mlfolio\/\S+ \(\+https:\/\/\S+\)$/);
  });

  it('strips user name and password from URLs', () => {
    expect(redactUrl('https://ann:secret@stats.example/a?b=1')).toBe('https://stats.example/a?b=1');
    expect(redactUrl('https://stats.example/a')).toBe('https://stats.example/a');
  });
});

describe('detectBotChallenge', () => {
  it('recognises challenge headers and pages, and leaves a stats page that mentions captcha alone', () => {
    expect(detectBotChallenge(403, { 'cf-mitigated': 'challenge' }, Buffer.from(''))).toContain('Cloudflare');
    expect(
      detectBotChallenge(200, {}, Buffer.from('<title>Attention Required! | Cloudflare</title>')),
    ).toBeDefined();
    expect(detectBotChallenge(429, {}, Buffer.from('<div class="g-recaptcha"></div>'))).toBeDefined();
    const stats = `<title>2021 NBA Season</title><script>var captcha=1</script>${'x'.repeat(70_000)}`;
    expect(detectBotChallenge(200, {}, Buffer.from(stats))).toBeUndefined();
  });
});
