import {commandIds} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {registerConpetCommand} from "./registerConpetCommand";

/** `ConPET: Show Logs` and `Refresh`. */
export function registerShowLogsCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.showLogs, () => deps.output.show(true));
    registerConpetCommand(deps, commandIds.refresh, () => {
        deps.services.notifyDataChanged();
        void deps.services.refreshModelInfo();
    });
}
