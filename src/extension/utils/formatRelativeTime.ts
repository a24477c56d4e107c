/** "just now", "5 min ago", "3 h ago", "2 days ago", else the date. */
export function formatRelativeTime(iso: string, now = Date.now()): string {
    const time = Date.parse(iso);
    if (Number.isNaN(time))
        return iso;
    const seconds = Math.max(0, (now - time) / 1000);
    if (seconds < 60)
        return "just now";
    if (seconds < 3600)
        return `${Math.floor(seconds / 60)} min ago`;
    if (seconds < 86400)
        return `${Math.floor(seconds / 3600)} h ago`;
    if (seconds < 7 * 86400)
        return `${Math.floor(seconds / 86400)} days ago`;
    return new Date(time).toLocaleDateString();
}
