import robotsParserModule from 'robots-parser';

// robots-parser is CommonJS (`module.exports = fn`) but its types declare an ES default export, so
// under nodenext the default import is typed as the module object while at runtime it is `fn`.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

/** The parts of a robots.txt the fetcher acts on. */
export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Crawl-delay for our user agent (or `*`), in milliseconds. */
  crawlDelayMs: number | undefined;
  /** Where the rules came from, for error messages: the robots.txt URL and what it answered. */
  source: string;
}

/** The product token robots.txt groups are matched against. */
export const robotsAgent = 'mlfolio';

/** Parses a robots.txt body. `source` describes where it came from. */
export function parseRobots(robotsUrl: string, text: string, source: string): RobotsRules {
  const robots = robotsParser(robotsUrl, text);
  const delay = robots.getCrawlDelay(robotsAgent);
  return {
    isAllowed: (url) => robots.isAllowed(url, robotsAgent) !== false,
    crawlDelayMs: delay === undefined ? undefined : delay * 1000,
    source,
  };
}

/** RFC 9309 §2.3.1.3: a robots.txt that is "unavailable" (any 4xx) allows everything. */
export function allowAll(source: string): RobotsRules {
  return { isAllowed: () => true, crawlDelayMs: undefined, source };
}
