import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../publish/chromium.ts';

export { chromiumArgs, chromiumPath };

export function hasChromium(): boolean {
  return existsSync(chromiumPath);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}
