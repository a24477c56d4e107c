/** Small DOM builders: text always goes through `textContent`, never HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attributes?: Record<string, string | undefined>,
    ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K];
export function h(tag: string, attributes?: Record<string, string | undefined>, ...children: (Node | string | null | undefined)[]): HTMLElement;
export function h(tag: string, attributes: Record<string, string | undefined> = {}, ...children: (Node | string | null | undefined)[]): HTMLElement {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes))
        if (value !== undefined)
            element.setAttribute(name, value);
    for (const child of children)
        if (child !== null && child !== undefined)
            element.append(typeof child === "string" ? document.createTextNode(child) : child);
    return element;
}

export function formatPercent(value: number | null | undefined): string {
    return value === null || value === undefined ? "—" : `${(value * 100).toFixed(1)}%`;
}

/** Shared with the extension host: a pure function, no Node or DOM. */
export {formatBytes} from "../../src/extension/utils/formatBytes";

export function formatCount(value: number | null | undefined): string {
    if (value === null || value === undefined)
        return "—";
    if (value >= 1e9)
        return `${(value / 1e9).toFixed(1)}B`;
    if (value >= 1e6)
        return `${(value / 1e6).toFixed(1)}M`;
    if (value >= 1e3)
        return `${(value / 1e3).toFixed(1)}K`;
    return String(value);
}

export function formatTime(iso: string | null | undefined): string {
    if (iso === null || iso === undefined)
        return "—";
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, {dateStyle: "short", timeStyle: "short"});
}

/** The time alone for today, the date alone before: short enough for a table column (the full time goes in its tooltip). */
export function formatShortTime(iso: string | null | undefined): string {
    if (iso === null || iso === undefined)
        return "—";
    const date = new Date(iso);
    if (Number.isNaN(date.getTime()))
        return iso;
    return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString(undefined, {timeStyle: "short"}) : date.toLocaleDateString(undefined, {dateStyle: "short"});
}
