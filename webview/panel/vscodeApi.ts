import type {HostMessage, PanelCommand, WebviewMessage} from "../../src/extension/panel/protocol";

type VsCodeApi = {
    postMessage(message: WebviewMessage): void;
    getState(): unknown;
    setState(state: unknown): void;
};

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
let nextId = 1;
const pending = new Map<number, {resolve: (value: unknown) => void; reject: (err: Error) => void}>();

/** Posts `ready`, then hands every valid host message except replies to `onMessage`. */
export function connect(onMessage: (message: Exclude<HostMessage, {type: "reply"}>) => void): void {
    window.addEventListener("message", (event: MessageEvent<unknown>) => {
        const message = event.data as HostMessage | null;
        if (typeof message !== "object" || message === null || typeof message.type !== "string")
            return;
        if (message.type === "reply") {
            const request = pending.get(message.id);
            pending.delete(message.id);
            if (message.err !== undefined)
                request?.reject(new Error(message.err.message));
            else
                request?.resolve(message.res);
            return;
        }
        if (message.type === "state/didChange" || message.type === "train/progress")
            onMessage(message);
    });
    api.postMessage({type: "ready"});
}

/** Runs a ConPET command in the host; resolves with its result, exactly one reply per request. */
export function runCommand(command: PanelCommand): Promise<unknown> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
        pending.set(id, {resolve, reject});
        api.postMessage({type: "request", id, method: "runCommand", params: {command}});
    });
}
