import type {TrainerEvent} from "../vocabulary/trainerProtocol";

const eventTypes: ReadonlySet<string> = new Set<TrainerEvent["type"]>(["started", "progress", "eval", "warning", "done", "error"]);

/**
 * Parses one line of the trainer's stdout. Anything that is not a JSON object with a known `type`
 * (a stray log line, a line cut short by a crash) yields `undefined` instead of throwing.
 */
export function parseTrainerEvent(line: string): TrainerEvent | undefined {
    const text = line.trim();
    if (!text.startsWith("{"))
        return undefined;
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return undefined;
    }
    if (typeof value !== "object" || value === null)
        return undefined;
    const type = (value as {type?: unknown}).type;
    if (typeof type !== "string" || !eventTypes.has(type))
        return undefined;
    return value as TrainerEvent;
}
