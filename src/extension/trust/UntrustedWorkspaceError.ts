import {ConpetError} from "../../vocabulary/errors";

/** Training, running models and importing files need a trusted workspace (`untrustedWorkspaces: limited`). */
export class UntrustedWorkspaceError extends ConpetError {
    public constructor(public readonly action: string) {
        super("INVALID_INPUT", `${action} is disabled in an untrusted workspace. Trust this workspace to use it.`, {data: {reason: "untrusted", action}});
    }
}
