let counter = 0;

/** A task name no other test uses, so tests sharing one store never collide. */
export function uniqueName(prefix: string): string {
    counter++;
    return `${prefix}-${Date.now().toString(36)}-${counter}`;
}
