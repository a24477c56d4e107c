import type * as vscode from "vscode";
import type {PendingAnswer} from "../answers/PendingAnswer";
import type {ErrorReporter} from "../errors/ErrorReporter";
import type {PanelController} from "../panel/PanelController";
import type {ConpetServices} from "../services/ConpetServices";
import type {TasksModel} from "../tasks/TasksModel";
import type {TrainingElsewhere} from "../training/TrainingElsewhere";
import type {TrainingState} from "../training/TrainingState";
import type {RunAnswer} from "../answers/RunAnswer";
import type {CorrectableAnswer} from "../corrections/CorrectableAnswer";

/** What every `register…Commands` receives from `activate`: explicit, no singletons. */
export type CommandDeps = {
    context: vscode.ExtensionContext;
    services: ConpetServices;
    training: TrainingState;
    /** Another window's (or the CLI's) training of the same store. */
    trainingElsewhere: TrainingElsewhere;
    tasksModel: TasksModel;
    errors: ErrorReporter;
    output: vscode.LogOutputChannel;
    panel: PanelController;
    /** The last answer of Run on Selection / Run Task, for the panel and the test hooks. */
    lastAnswer: {value: RunAnswer | null};
    /** The last answer's Replace / Insert / Copy, while on offer. */
    pendingAnswer: PendingAnswer;
    /** The last answer of any kind (notification, chat, base model), for `ConPET: Correct Last Answer…`. */
    lastCorrectable: {value: CorrectableAnswer | null};
};
