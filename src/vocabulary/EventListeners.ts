/** A minimal event (no `vscode`, no node-llama-cpp): subscribe returns a disposable; a throwing listener doesn't stop the others. */
export class EventListeners<T> {
    private readonly listeners = new Set<(value: T) => void>();

    /** Subscribe; call `dispose()` on the result to unsubscribe. */
    public readonly event = (listener: (value: T) => void): {dispose(): void} => {
        this.listeners.add(listener);
        return {dispose: () => this.listeners.delete(listener)};
    };

    public fire(value: T): void {
        for (const listener of [...this.listeners]) {
            try {
                listener(value);
            } catch {
                // One broken listener must not starve the others.
            }
        }
    }

    public clear(): void {
        this.listeners.clear();
    }
}
