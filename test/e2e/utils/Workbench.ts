import {mkdirSync} from "node:fs";
import path from "node:path";
import type {FrameLocator, Locator, Page} from "playwright-core";

/** Defaults to `30000` ms: a 2-core machine shared with builds can be slow to repaint. */
export const defaultUiTimeoutMs = 30_000;

/**
 * Drives VS Code's workbench the way a person does: the command palette (F1), quick picks, input boxes,
 * notifications, editors and views. Every wait is on something visible, never a fixed sleep.
 */
export class Workbench {
    public constructor(public readonly page: Page, private readonly _screenshotsDir: string) {}

    /** The quick input widget (palette, quick picks and input boxes share it). */
    public get quickInput(): Locator {
        return this.page.locator(".quick-input-widget");
    }

    public async waitForReady(timeoutMs = 90_000): Promise<void> {
        await this.page.locator(".monaco-workbench").waitFor({timeout: timeoutMs});
        // The explorer shows the folder once the remote connection and the workspace are up.
        await this.page.locator(".explorer-folders-view, .explorer-viewlet").first().waitFor({timeout: timeoutMs});
    }

    /** Runs a palette command by its full title, e.g. `ConPET: Train`. */
    public async runCommand(title: string): Promise<void> {
        await this.closeQuickInput();
        await this.page.keyboard.press("F1");
        await this.filterAndClick(`>${title}`, title);
    }

    /**
     * Picks an item of the open quick pick by its label (typed into the filter first, as a person would).
     * @param titleOrPlaceholder Text of the pick's title or placeholder, to be sure it is the right pick.
     */
    public async pickQuickItem(label: string, titleOrPlaceholder?: string): Promise<void> {
        await this.waitForQuickInput(titleOrPlaceholder);
        await this.filterAndClick(label, label);
    }

    /** Types `filter` into the quick input, waits for the row labelled exactly `label`, and clicks (accepts) it. */
    private async filterAndClick(filter: string, label: string): Promise<void> {
        const input = this.quickInput.locator("input.input");
        await input.waitFor({state: "visible", timeout: defaultUiTimeoutMs});
        await input.fill(filter);
        const row = this.quickInputRow(label);
        await row.waitFor({state: "visible", timeout: defaultUiTimeoutMs});
        await row.click();
    }

    /** The first row of the quick input's list labelled exactly `label`. */
    private quickInputRow(label: string): Locator {
        return this.quickInput.locator(".quick-input-list .monaco-list-row", {has: this.page.locator(".label-name", {hasText: exactText(label)})}).first();
    }

    /** Types into the open input box and presses Enter. */
    public async submitInput(text: string, titleOrPrompt?: string): Promise<void> {
        await this.waitForQuickInput(titleOrPrompt);
        const input = this.quickInput.locator("input.input");
        await input.fill(text);
        await input.press("Enter");
    }

    /**
     * Chooses a file in VS Code's own open dialog (code-server has no native one: it is a path box over a
     * file list). The folder is typed first, then the file's row is clicked, which accepts it; typing the
     * whole path at once races the dialog's own completion. The dialog lists its start folder asynchronously
     * and, when that listing lands, puts the start folder back into the box; so typing waits until the dialog
     * is idle, and is repeated if a late listing still wiped it out.
     */
    public async pickFileInOpenDialog(file: string): Promise<void> {
        await this.waitForQuickInput();
        const folder = path.dirname(file) + path.sep;
        const row = this.quickInputRow(path.basename(file));
        for (let attempt = 1; ; attempt++) {
            await this.waitForQuickInputIdle();
            await this.quickInput.locator("input.input").fill(folder);
            try {
                await row.waitFor({state: "visible", timeout: 10_000});
                break;
            } catch (err) {
                if (attempt === 3)
                    throw new Error(`the open dialog did not list ${file}: ${await this.describeQuickInput()}`, {cause: err});
            }
        }
        await row.click();
    }

    /**
     * Waits until the quick input shows rows and no running progress bar. A file dialog's list is empty until its
     * first listing lands; the bar marks later listings (VS Code shows it only after 800 ms busy, hence the retry above).
     */
    private async waitForQuickInputIdle(): Promise<void> {
        await this.page.waitForFunction(`(() => {
            const widget = document.querySelector(".quick-input-widget");
            return widget !== null && widget.querySelector(".monaco-progress-container.active") === null
                && widget.querySelector(".quick-input-list .monaco-list-row") !== null;
        })()`, undefined, {timeout: defaultUiTimeoutMs});
    }

    /** What the quick input shows, for an error message: its value, its validation message and its rows. */
    private async describeQuickInput(): Promise<string> {
        const value = await this.quickInput.locator("input.input").inputValue().catch(() => "(no input)");
        const message = await this.quickInput.locator(".quick-input-message").textContent().catch(() => "");
        const rows = await this.quickInput.locator(".quick-input-list .monaco-list-row .label-name").allTextContents();
        return `value ${JSON.stringify(value)}, message ${JSON.stringify(message ?? "")}, rows ${JSON.stringify(rows)}`;
    }

    /**
     * Chooses a folder in VS Code's own open dialog: types its path and accepts it (Enter, or the dialog's OK
     * button, labelled `okLabel`, if Enter only opened the folder).
     */
    public async pickFolderInOpenDialog(folder: string, okLabel: string): Promise<void> {
        await this.waitForQuickInput();
        await this.waitForQuickInputIdle();
        const input = this.quickInput.locator("input.input");
        await input.fill(folder);
        await input.press("Enter");
        const closed = await this.quickInput.waitFor({state: "hidden", timeout: 5_000}).then(() => true, () => false);
        if (!closed)
            await this.quickInput.locator(".monaco-button", {hasText: okLabel}).first().click();
        await this.quickInput.waitFor({state: "hidden", timeout: defaultUiTimeoutMs});
    }

    /** Clicks an action in the side bar's title (e.g. `Train`), `clicks` times in a row as a person's double click would. */
    public async clickSidebarTitleAction(label: string, clicks = 1): Promise<void> {
        const action = this.page.locator(`.part.sidebar .title-actions .action-label[aria-label^="${label}"], .part.sidebar .pane-header .actions .action-label[aria-label^="${label}"]`).first();
        await action.waitFor({state: "visible", timeout: defaultUiTimeoutMs});
        await action.click({clickCount: clicks});
    }

    /** Opens the side bar title's "…" menu and clicks its item labelled `label`. */
    public async clickSidebarMoreAction(label: string): Promise<void> {
        await this.clickSidebarTitleAction("Views and More Actions");
        await this.clickMenuItem(label);
    }

    /** Right-clicks `target` and clicks the context menu's item labelled `label`. */
    public async clickContextMenuItem(target: Locator, label: string): Promise<void> {
        await target.click({button: "right"});
        await this.clickMenuItem(label);
    }

    private async clickMenuItem(label: string): Promise<void> {
        const menu = this.page.locator(".context-view .monaco-menu").first();
        const item = menu.locator(".action-item", {has: this.page.locator(".action-label", {hasText: exactText(label)})}).first();
        await item.waitFor({state: "visible", timeout: defaultUiTimeoutMs});
        // A tree that refreshes under the open menu can swallow a click (the menu stays open, the command never
        // runs, and the open menu then blocks the palette): click again while the item is still there.
        for (let attempt = 1; ; attempt++) {
            await item.click();
            try {
                await menu.waitFor({state: "hidden", timeout: 5_000});
                return;
            } catch (err) {
                // Closed late: the click did register.
                if (!await item.isVisible())
                    return;
                if (attempt === 3)
                    throw err;
            }
        }
    }

    /** Waits until the quick input is visible and (optionally) shows `text` in its title, placeholder or prompt. */
    public async waitForQuickInput(text?: string): Promise<void> {
        await this.quickInput.waitFor({state: "visible", timeout: defaultUiTimeoutMs});
        if (text === undefined)
            return;
        // A string expression: this file is type-checked without the DOM library.
        await this.page.waitForFunction(`(() => {
            const widget = document.querySelector(".quick-input-widget");
            const input = widget?.querySelector("input.input");
            const haystack = [
                widget?.querySelector(".quick-input-title")?.textContent ?? "",
                widget?.querySelector(".quick-input-message")?.textContent ?? "",
                input?.getAttribute("placeholder") ?? "",
                input?.getAttribute("aria-label") ?? ""
            ].join("\\n");
            return haystack.includes(${JSON.stringify(text)});
        })()`, undefined, {timeout: defaultUiTimeoutMs});
    }

    /** Dismisses a quick input that has focus; Escape anywhere else would, e.g., clear the editor's selection. */
    public async closeQuickInput(): Promise<void> {
        const focused = await this.page.evaluate("!!document.activeElement?.closest('.quick-input-widget')");
        if (focused === true)
            await this.page.keyboard.press("Escape");
        await this.quickInput.waitFor({state: "hidden", timeout: defaultUiTimeoutMs}).catch(() => undefined);
    }

    /**
     * A toast whose text matches; resolves with it once visible. An error toast that does not match fails the
     * wait at once with its message (a crash should not cost the whole timeout), unless `failOnError` is false.
     */
    public async waitForNotification(text: string | RegExp, timeoutMs = defaultUiTimeoutMs, {failOnError = true} = {}): Promise<Locator> {
        const toasts = this.page.locator(".notifications-toasts .notification-toast");
        const wanted = toasts.filter({hasText: text}).last();
        const error = toasts.filter({has: this.page.locator(".codicon-error")}).last();
        await (failOnError ? wanted.or(error) : wanted).first().waitFor({state: "visible", timeout: timeoutMs});
        if (failOnError && !(await wanted.isVisible()))
            throw new Error(`an error notification appeared while waiting for ${String(text)}: ${await this.getNotificationMessage(error)}`);
        return wanted;
    }

    /** The full message of a notification (the toast may truncate it visually, not in the DOM). */
    public async getNotificationMessage(toast: Locator): Promise<string> {
        return (await toast.locator(".notification-list-item-message").first().textContent()) ?? "";
    }

    public async clickNotificationButton(toast: Locator, label: string): Promise<void> {
        await toast.locator(".monaco-button", {hasText: label}).first().click();
    }

    /** Clears every notification (so a later wait cannot match an old one). */
    public async clearNotifications(): Promise<void> {
        await this.runCommand("Notifications: Clear All Notifications");
        await this.page.locator(".notifications-toasts .notification-toast").first().waitFor({state: "hidden", timeout: defaultUiTimeoutMs}).catch(() => undefined);
    }

    /** Opens a workspace file with Quick Open and waits for its editor (a second try if the first pick was lost). */
    public async openFile(relativePath: string): Promise<void> {
        const name = path.basename(relativePath);
        const activeTab = this.page.locator(`.tab.active[data-resource-name="${name}"], .tab.active[aria-label*="${name}"]`).first();
        for (let attempt = 1; ; attempt++) {
            await this.closeQuickInput();
            await this.page.keyboard.press("Control+P");
            await this.filterAndClick(relativePath, name);
            try {
                await activeTab.waitFor({timeout: attempt === 1 ? 10_000 : defaultUiTimeoutMs});
                break;
            } catch (err) {
                if (attempt === 2)
                    throw err;
            }
        }
        await this.focusEditor();
    }

    public async focusEditor(): Promise<void> {
        await this.page.locator(".editor-instance .monaco-editor .view-lines").first().click({position: {x: 5, y: 5}});
    }

    /** Moves the cursor with Go to Line (`line` and `column` are 1-based). */
    public async goToLine(line: number, column = 1): Promise<void> {
        await this.page.keyboard.press("Control+G");
        // Go to Line is Quick Open in ":" mode; the prefix must stay.
        await this.submitInput(`:${line}:${column}`);
        await this.quickInput.waitFor({state: "hidden", timeout: defaultUiTimeoutMs});
    }

    /** Selects a whole line (without its line break). */
    public async selectLine(line: number): Promise<void> {
        await this.goToLine(line);
        await this.page.keyboard.press("Home");
        await this.page.keyboard.press("Shift+End");
        await this.waitForSelection();
    }

    /** Selects the word at `line:column` (Ctrl+D on an empty selection selects the word under the cursor). */
    public async selectWord(line: number, column: number): Promise<void> {
        await this.goToLine(line, column);
        await this.page.keyboard.press("Control+D");
        await this.waitForSelection();
    }

    /** The status bar shows "(N selected)" once the editor has a selection. */
    private async waitForSelection(): Promise<void> {
        await this.page.locator(".statusbar-item", {hasText: /selected\)/}).first().waitFor({timeout: defaultUiTimeoutMs});
    }

    /** The text of the editor's current line around the cursor, read from the DOM (for small checks). */
    public async getEditorText(): Promise<string> {
        const lines = await this.page.locator(".editor-instance .monaco-editor .view-lines .view-line").allTextContents();
        return lines.join("\n").replace(/\u00a0/g, " ");
    }

    /** Opens an activity-bar view container by its title (e.g. `ConPET`). */
    public async openViewContainer(title: string): Promise<Locator> {
        const item = this.page.locator(`.activitybar .action-item a[aria-label^="${title}"], .activitybar .action-item[aria-label^="${title}"]`).first();
        await item.waitFor({timeout: defaultUiTimeoutMs});
        const expanded = await item.getAttribute("aria-expanded").catch(() => null);
        if (expanded !== "true" && !(await item.locator("xpath=..").getAttribute("class"))?.includes("checked"))
            await item.click();
        const sidebar = this.page.locator(".part.sidebar");
        await sidebar.waitFor({timeout: defaultUiTimeoutMs});
        return sidebar;
    }

    /** A tree row (role `treeitem`) whose accessible label matches, e.g. `Task log-level, ready, 13 samples`. */
    public treeItem(container: Locator, name: string | RegExp): Locator {
        return container.getByRole("treeitem", {name});
    }

    /** The content of the active webview (the iframe inside VS Code's webview iframe). */
    public webviewFrame(): FrameLocator {
        return this.page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
    }

    /** Saves a PNG of the window under the screenshots folder; returns its path. */
    public async screenshot(name: string): Promise<string> {
        mkdirSync(this._screenshotsDir, {recursive: true});
        const file = path.join(this._screenshotsDir, `${name}.png`);
        // Animations finished, so a toast that is sliding in is captured readable.
        await this.page.screenshot({path: file, animations: "disabled"});
        return file;
    }
}

function exactText(text: string): RegExp {
    return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
}
