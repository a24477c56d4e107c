import type {Browser, Page} from "playwright-core";
export declare function openBrowser(viewport?: {width?: number, height?: number}): Promise<{browser: Browser, page: Page}>;
