/** Progress reports of model work come per item or token; the client needs one now and then. */
export const progressIntervalMs = 250;

/**
 * Wraps `report` so that it passes the first call and then at most one call per `intervalMs`:
 * enough for the client's timeout to see the work advance, without an IPC message per token.
 */
export function createProgressThrottle<T>(report: (progress: T) => void, intervalMs = progressIntervalMs): (progress: T) => void {
    let last = -Infinity;
    return (progress) => {
        const now = performance.now();
        if (now - last < intervalMs)
            return;
        last = now;
        report(progress);
    };
}
