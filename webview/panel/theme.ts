/** Reads VS Code's theme variables, so charts follow the current color theme. */
export function getThemeColor(name: string, fallback: string): string {
    const value = getComputedStyle(document.body).getPropertyValue(`--vscode-${name}`).trim();
    return value === "" ? fallback : value;
}

/** A color per series from VS Code's chart palette. */
export function getSeriesColor(index: number): string {
    const names = ["charts-blue", "charts-orange", "charts-green", "charts-purple", "charts-red", "charts-yellow"];
    const fallbacks = ["#3794ff", "#d18616", "#89d185", "#b180d7", "#f14c4c", "#cca700"];
    const slot = index % names.length;
    return getThemeColor(names[slot]!, fallbacks[slot]!);
}

/** Red (0) through yellow to green (1), readable on light and dark themes. */
export function getAccuracyColor(value: number): string {
    const clamped = Math.min(1, Math.max(0, value));
    return `hsla(${Math.round(clamped * 120)}, 65%, 45%, 0.85)`;
}

/**
 * Calls `listener` once per frame in which VS Code changed the color theme: it rewrites the page's
 * CSS variables (on `<html>`) and the body's theme class, so colors read once would go stale.
 */
export function onThemeChange(listener: () => void): void {
    let scheduled = false;
    const observer = new MutationObserver(() => {
        if (scheduled)
            return;
        scheduled = true;
        requestAnimationFrame(() => {
            scheduled = false;
            listener();
        });
    });
    observer.observe(document.documentElement, {attributes: true, attributeFilter: ["style", "class"]});
    observer.observe(document.body, {attributes: true, attributeFilter: ["class", "data-vscode-theme-kind", "data-vscode-theme-id"]});
}
