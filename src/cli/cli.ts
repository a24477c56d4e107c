/**
 * `conpet`: the headless front end over the same core and store as the extension. To add a
 * command, write `commands/<Name>Command.ts` exporting a `CliCommand` and add it to `commands`.
 */
import type {AnyCliCommand} from "./CliCommand";
import {BenchTrainCommand} from "./commands/BenchTrainCommand";
import {BenchCommand} from "./commands/BenchCommand";
import {ExportCommand} from "./commands/ExportCommand";
import {GpuInstallCommand} from "./commands/gpu/GpuInstallCommand";
import {GpuRemoveCommand} from "./commands/gpu/GpuRemoveCommand";
import {GpuStatusCommand} from "./commands/gpu/GpuStatusCommand";
import {ImportAdapterCommand} from "./commands/ImportAdapterCommand";
import {ImportCommand} from "./commands/ImportCommand";
import {InfoCommand} from "./commands/InfoCommand";
import {PredictCommand} from "./commands/PredictCommand";
import {TaskAddCommand} from "./commands/task/TaskAddCommand";
import {TaskDeleteCommand} from "./commands/task/TaskDeleteCommand";
import {TaskListCommand} from "./commands/task/TaskListCommand";
import {TrainCommand} from "./commands/TrainCommand";
import {runCli} from "./runCli";

const commands: readonly AnyCliCommand[] = [
    BenchTrainCommand,
    InfoCommand,
    TaskAddCommand,
    TaskListCommand,
    TaskDeleteCommand,
    ImportCommand,
    ExportCommand,
    ImportAdapterCommand,
    TrainCommand,
    PredictCommand,
    BenchCommand,
    GpuInstallCommand,
    GpuStatusCommand,
    GpuRemoveCommand
];

process.exitCode = await runCli(process.argv.slice(2), commands);
