/** Whether a process with this id exists on this machine (signal 0 checks without sending). @internal */
export function isProcessAlive(pid: number): boolean {
    if (pid === process.pid)
        return true;
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        // EPERM: it exists but belongs to another user.
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}
