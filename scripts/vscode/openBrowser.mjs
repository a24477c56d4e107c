// Headless Debian chromium through playwright-core, with the offline flags from DESIGN.md and a fresh profile.
import {chromium} from "playwright-core";
import {chromiumArgs, chromiumPath} from "./toolPaths.mjs";

/**
 * Launches chromium and opens one page.
 * @param {{width?: number, height?: number}} [viewport] Defaults to `1400` × `900`.
 * @returns {Promise<{browser: import("playwright-core").Browser, page: import("playwright-core").Page}>}
 */
export async function openBrowser({width = 1400, height = 900} = {}) {
    // launch() (not a persistent context) gives every run a new, empty profile.
    const browser = await chromium.launch({executablePath: chromiumPath, headless: true, args: chromiumArgs});
    const context = await browser.newContext({viewport: {width, height}});
    const page = await context.newPage();
    return {browser, page};
}
