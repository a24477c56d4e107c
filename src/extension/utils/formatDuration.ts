/** "45 s", "6 min 3 s", "31 min", "1 h 5 min": units always written, so a duration never reads as a clock time. */
export function formatDuration(seconds: number): string {
    const total = Math.max(0, Math.round(seconds));
    if (total < 60)
        return `${total} s`;
    const minutes = Math.floor(total / 60);
    if (minutes < 10)
        return total % 60 === 0 ? `${minutes} min` : `${minutes} min ${total % 60} s`;
    if (minutes < 60)
        return `${minutes} min`;
    return minutes % 60 === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
