/**
 * The one event and dispose-listener helper outside the extension (no `vscode`, no node-llama-cpp):
 * subscribing returns `{dispose()}`, as a VS Code event does; a throwing listener doesn't stop the others.
 */
export class EventListeners<T> {
    private readonly listeners = new Set<(value: T) => void>();

    /** `onListenerError` hears what a listener threw; without it, it is dropped. */
    public constructor(private readonly onListenerError?: (err: unknown) => void) {}

    /** Subscribe; call `dispose()` on the result to unsubscribe. */
    public readonly event = (listener: (value: T) => void): {dispose(): void} => {
        this.listeners.add(listener);
        return {dispose: () => this.listeners.delete(listener)};
    };

    public fire(value: T): void {
        for (const listener of [...this.listeners]) {
            try {
                listener(value);
            } catch (err) {
                // One broken listener must not starve the others.
                this.onListenerError?.(err);
            }
        }
    }

    public clear(): void {
        this.listeners.clear();
    }
}
