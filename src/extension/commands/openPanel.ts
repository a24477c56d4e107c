import {commandIds} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {registerConpetCommand} from "./registerConpetCommand";

/** `ConPET: Open Panel`: the module status webview (also opened by the status bar item while training). */
export function registerOpenPanelCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.openPanel, () => {
        deps.panel.show();
        return true;
    });
}
