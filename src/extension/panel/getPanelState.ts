import * as vscode from "vscode";
import type {Evaluation, ModuleRecord} from "../../vocabulary/types";
import type {RunAnswer} from "../answers/RunAnswer";
import type {ConpetServices} from "../services/ConpetServices";
import type {TasksModel} from "../tasks/TasksModel";
import type {TrainingElsewhere} from "../training/TrainingElsewhere";
import type {TrainingState} from "../training/TrainingState";
import type {PanelEngine, PanelEvaluation, PanelModule, PanelState, PanelTraining} from "./protocol";

export type PanelStateSources = {
    services: ConpetServices;
    tasksModel: TasksModel;
    training: TrainingState;
    trainingElsewhere: TrainingElsewhere;
    lastAnswer: {value: RunAnswer | null};
};

/** Everything the panel shows, read from the store, the training in progress and the engine. */
export async function getPanelState(sources: PanelStateSources): Promise<PanelState> {
    const {services, tasksModel} = sources;
    const settings = services.getSettings();
    const store = await services.getStore();
    const [summaries, modules, evaluations, runs] = await Promise.all([
        tasksModel.getTasks(),
        store.listModules(),
        store.listEvaluations(),
        store.listRuns({limit: 100})
    ]);
    const selector = modules.find((module) => module.kind === "selector");
    const evaluation = evaluations.at(-1);
    const answer = sources.lastAnswer.value;
    const taskNames = new Map(summaries.map((summary) => [summary.task.id, summary.task.name]));

    const training = getPanelTraining(sources.training);
    if (!training.running) {
        // The last finished run of each task, so the curves stay visible after training.
        const seen = new Set<number>();
        for (const run of runs) {
            if (run.taskId === null || seen.has(run.taskId) || run.status !== "succeeded" || run.lossCurve.length === 0)
                continue;
            seen.add(run.taskId);
            training.lossCurves.push({task: taskNames.get(run.taskId) ?? `task ${run.taskId}`, points: run.lossCurve, live: false});
        }
    }

    return {
        tasks: summaries.map((summary) => ({
            id: summary.task.id,
            name: summary.task.name,
            kind: summary.task.kind,
            labels: summary.task.labels,
            state: summary.state,
            reason: summary.reason ?? null,
            trainSamples: summary.trainSamples,
            testSamples: summary.testSamples,
            module: summary.module === null ? null : toPanelModule(summary.module),
            heldOutAccuracy: summary.heldOutAccuracy,
            trainAccuracy: summary.trainAccuracy
        })),
        selector: {
            kind: settings.selectorKind,
            accuracy: evaluation?.selectorAccuracy ?? null,
            // The selector module records the accuracy on its own training samples (under this name).
            trainAccuracy: selector?.metrics.heldOutAccuracy ?? null,
            trainedAt: selector?.trainedAt ?? null
        },
        replay: {
            trainSamples: summaries.reduce((sum, summary) => sum + summary.trainSamples, 0),
            testSamples: summaries.reduce((sum, summary) => sum + summary.testSamples, 0),
            capPerTask: settings.maxSamplesPerTask,
            ratio: settings.replayRatio,
            stepsPerTask: settings.stepsPerTask
        },
        mode: settings.mode,
        training,
        evaluation: evaluation === undefined ? null : toPanelEvaluation(evaluation),
        engine: getPanelEngine(services),
        lastAnswer: answer === null ? null : {input: answer.input.slice(0, 500), output: answer.output.slice(0, 2000), task: answer.task, answerProbability: answer.answerProbability, routeProbability: answer.routeProbability, routed: answer.routed},
        trusted: vscode.workspace.isTrusted,
        trainingElsewhere: sources.trainingElsewhere.text
    };
}

export function getPanelTraining(training: TrainingState): PanelTraining {
    const progress = training.progress;
    return {
        running: training.isRunning,
        progress: progress === undefined
            ? null
            : {
                task: progress.task ?? null,
                phase: progress.phase,
                taskIndex: progress.taskIndex,
                taskCount: progress.taskCount,
                step: progress.step,
                totalSteps: progress.totalSteps,
                loss: progress.loss ?? null,
                fraction: progress.fraction
            },
        estimate: training.estimate ?? null,
        lossCurves: training.isRunning
            ? [...training.lossCurves].map(([task, points]) => ({task: task === "" ? "shared" : task, points: [...points], live: true}))
            : []
    };
}

function getPanelEngine(services: ConpetServices): PanelEngine {
    const info = services.modelInfo;
    const installed = services.getInstalledGpuBackend();
    const modelPath = services.getSettings().modelPath;
    return {
        modelPath: info?.modelPath ?? modelPath,
        loaded: info !== null,
        backend: info?.backend ?? null,
        gpuBackendProblem: info?.gpuBackendProblem ?? null,
        installedGpuBackend: installed.state === "installed" ? installed.kind : null,
        gpuLayers: info?.gpuLayers ?? null,
        layers: info?.layers ?? null,
        parameters: info?.parameters ?? null,
        fileType: info?.fileType ?? null,
        vramUsedBytes: info?.vramUsedBytes ?? null,
        rssBytes: info?.rssBytes ?? null
    };
}

function toPanelModule(module: ModuleRecord): PanelModule {
    return {
        id: module.id,
        rank: module.rank,
        alpha: module.alpha,
        targetModules: module.targetModules,
        sizeBytes: module.sizeBytes,
        trainableParameters: module.trainableParameters,
        trainedAt: module.trainedAt,
        finalLoss: module.metrics.finalLoss ?? null,
        heldOutLoss: module.metrics.heldOutLoss ?? null,
        heldOutAccuracy: module.metrics.heldOutAccuracy ?? null,
        trainSeconds: module.metrics.trainSeconds ?? null
    };
}

/** The matrix with the tasks measured on training samples named, and an average over held-out columns only. */
function toPanelEvaluation(evaluation: Evaluation): PanelEvaluation {
    const measuredOn = (evaluation.details.measuredOn ?? {}) as Record<string, unknown>;
    const trainMeasured = evaluation.tasks.filter((task) => measuredOn[task] === "train");
    const last = evaluation.accuracyMatrix.at(-1) ?? [];
    const heldOut = last.filter((value, j) => Number.isFinite(value) && !trainMeasured.includes(evaluation.tasks[j] ?? ""));
    return {
        createdAt: evaluation.createdAt,
        mode: evaluation.mode,
        tasks: evaluation.tasks,
        matrix: evaluation.accuracyMatrix,
        selectorAccuracy: evaluation.selectorAccuracy,
        trainMeasured,
        heldOutAverage: heldOut.length === 0 ? null : heldOut.reduce((sum, value) => sum + value, 0) / heldOut.length
    };
}
