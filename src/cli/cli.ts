/**
 * `conpet`: the headless front end over the same core and store as the extension. To add a
 * command, write `commands/<Name>Command.ts` exporting a `CliCommand` and add it to `commands`.
 */
import type {AnyCliCommand} from "./CliCommand";
import {BenchTrainCommand} from "./commands/BenchTrainCommand";
import {InfoCommand} from "./commands/InfoCommand";
import {TaskAddCommand} from "./commands/task/TaskAddCommand";
import {TaskDeleteCommand} from "./commands/task/TaskDeleteCommand";
import {TaskListCommand} from "./commands/task/TaskListCommand";
import {runCli} from "./runCli";

const commands: readonly AnyCliCommand[] = [
    BenchTrainCommand,
    InfoCommand,
    TaskAddCommand,
    TaskListCommand,
    TaskDeleteCommand
];

process.exitCode = await runCli(process.argv.slice(2), commands);
