import type {PanelCommand, WebviewMessage} from "./protocol";

const panelCommands: ReadonlySet<string> = new Set<PanelCommand>(["train", "cancelTraining", "selectModel", "createTask", "importExamples", "showLogs", "refresh"]);

/**
 * Checks a message from the webview against the protocol. The webview runs untrusted-by-default
 * content, so anything else (unknown types, a command not on the list, a bad id) is dropped.
 */
export function parseWebviewMessage(message: unknown): WebviewMessage | undefined {
    if (typeof message !== "object" || message === null)
        return undefined;
    const {type} = message as {type?: unknown};
    if (type === "ready")
        return {type: "ready"};
    if (type !== "request")
        return undefined;
    const {id, method, params} = message as {id?: unknown; method?: unknown; params?: unknown};
    if (typeof id !== "number" || !Number.isSafeInteger(id) || method !== "runCommand")
        return undefined;
    if (typeof params !== "object" || params === null)
        return undefined;
    const {command} = params as {command?: unknown};
    if (typeof command !== "string" || !panelCommands.has(command))
        return undefined;
    return {type: "request", id, method, params: {command: command as PanelCommand}};
}
