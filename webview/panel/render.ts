import type {PanelState, PanelTask, PanelTraining} from "../../src/extension/panel/protocol";
import {describeModuleState} from "../../src/extension/utils/describeModuleState";
import {formatTimeLeft, formatTrainingProgress} from "../../src/extension/utils/formatTrainingProgress";
import {formatBytes, formatCount, formatPercent, formatShortTime, formatTime, h} from "./dom";

const stateTones: Record<PanelTask["state"], "ok" | "warn" | "muted"> = {untrained: "muted", training: "muted", ready: "ok", stale: "warn", missing: "warn"};

export function renderEngine(section: HTMLElement, state: PanelState): void {
    const {engine} = state;
    const name = engine.modelPath === "" ? "No model selected" : engine.modelPath.split(/[\\/]/).pop() ?? engine.modelPath;
    const backend = engine.backend === null ? "not loaded" : engine.backend.toUpperCase();
    const facts: [string, string][] = [
        ["Backend", backend],
        ["GPU layers", engine.gpuLayers === null ? "—" : `${engine.gpuLayers}/${engine.layers ?? "?"}`],
        ["Downloaded GPU backend", engine.installedGpuBackend === null ? "none" : engine.installedGpuBackend === "cuda" ? "CUDA" : "Vulkan"],
        ["Parameters", formatCount(engine.parameters)],
        ["Weights", engine.fileType ?? "—"],
        ["Engine memory", engine.rssBytes === null ? "—" : formatBytes(engine.rssBytes)],
        ["GPU memory", engine.vramUsedBytes === null || engine.vramUsedBytes === 0 ? "—" : formatBytes(engine.vramUsedBytes)],
        ["Mode", state.mode]
    ];
    section.replaceChildren(...[
        h("h2", {}, "Engine"),
        h("p", {class: "model", title: engine.modelPath}, name, " ", badge(backend, engine.loaded ? "ok" : "muted")),
        h("dl", {class: "facts"}, ...facts.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
        engine.gpuBackendProblem === null ? null : h("p", {class: "warning", id: "gpu-backend-problem"}, engine.gpuBackendProblem),
        engine.loaded ? null : h("p", {class: "muted"}, engine.modelPath === "" ? "Select a model to train and run tasks." : "The engine starts on first use (Train or Run on Selection).")
    ].filter((node) => node !== null));
}

export function renderTrainingStatus(container: HTMLElement, training: PanelTraining): void {
    const progress = training.progress;
    if (!training.running) {
        container.replaceChildren();
        return;
    }
    const fraction = progress?.fraction ?? 0;
    const bar = h("vscode-progress-bar", {"aria-label": "Training progress", max: "1", value: String(fraction)});
    if (progress === null)
        bar.setAttribute("indeterminate", "");
    const text = progress === null ? `Starting… · ${formatTimeLeft(training.estimate)}` : formatTrainingProgress(progress, training.estimate);
    container.replaceChildren(bar, h("p", {class: "progress-text"}, text));
}

export function renderModulesTable(container: HTMLElement, state: PanelState): void {
    if (state.tasks.length === 0) {
        container.replaceChildren(h("p", {class: "muted"}, "No tasks yet. Select text in an editor and run \"ConPET: Add Selection to Task…\", or import examples."));
        return;
    }
    // Short headers and cells: the table must fit a 1,024 px window without cutting a column.
    const headers = ["Task", "State", "Samples", "Adapter", "Params", "Trained", "Loss", "Held-out acc."];
    const table = h("vscode-table", {zebra: "", "bordered-columns": "", "aria-label": "Task modules"},
        h("vscode-table-header", {slot: "header"}, ...headers.map((header) => h("vscode-table-header-cell", {}, header))),
        h("vscode-table-body", {slot: "body"}, ...state.tasks.map((task) => {
            const module = task.module;
            return h("vscode-table-row", {"data-task": task.name, "data-state": task.state},
                h("vscode-table-cell", {}, task.name, " ", h("span", {class: "muted"}, task.kind)),
                h("vscode-table-cell", {title: describeModuleState(task.state, task.reason)}, badge(task.state, stateTones[task.state])),
                h("vscode-table-cell", {}, `${task.trainSamples} + ${task.testSamples} held out`),
                h("vscode-table-cell", {}, module === null ? "—" : `${formatBytes(module.sizeBytes)} · r${module.rank}`),
                h("vscode-table-cell", {}, module === null ? "—" : formatCount(module.trainableParameters)),
                h("vscode-table-cell", {title: formatTime(module?.trainedAt)}, formatShortTime(module?.trainedAt)),
                h("vscode-table-cell", {}, module?.finalLoss === null || module === null ? "—" : module.finalLoss.toFixed(3)),
                task.trainAccuracy === null
                    ? h("vscode-table-cell", {class: "accuracy"}, formatPercent(task.heldOutAccuracy))
                    : h("vscode-table-cell", {class: "accuracy", title: `On its own training samples: ${formatPercent(task.trainAccuracy)}. That says it learned them, not how it does on new inputs.`},
                        h("span", {class: "muted"}, "no held-out samples"))
            );
        }))
    );
    container.replaceChildren(table);
}

export function renderSelector(section: HTMLElement, state: PanelState): void {
    const {selector, replay} = state;
    section.replaceChildren(
        h("h2", {}, "Selector and replay store"),
        h("dl", {class: "facts"},
            h("dt", {}, "Selector"), h("dd", {}, `${selector.kind}${selector.trainedAt === null ? " (not trained)" : ` · trained ${formatTime(selector.trainedAt)}`}`),
            h("dt", {}, "Selector accuracy"), h("dd", {id: "selector-accuracy"}, selector.accuracy !== null || selector.trainAccuracy === null
                ? formatPercent(selector.accuracy)
                : `not measured on held-out inputs yet (${formatPercent(selector.trainAccuracy)} on its training samples)`),
            h("dt", {}, "Stored samples"), h("dd", {}, `${replay.trainSamples} train · ${replay.testSamples} held out`),
            h("dt", {}, "Cap per task"), h("dd", {}, String(replay.capPerTask)),
            h("dt", {}, "Replay"), h("dd", {}, state.mode === "dynamic"
                ? `each task module trains alone for ${replay.stepsPerTask} steps; the selector is retrained with replay over every task`
                : `${Math.round(replay.ratio * 100)}% of each batch from earlier tasks · ${replay.stepsPerTask} steps per task`)
        )
    );
}

export function renderAnswer(section: HTMLElement, state: PanelState): void {
    const answer = state.lastAnswer;
    if (answer === null) {
        section.replaceChildren();
        return;
    }
    section.replaceChildren(
        h("h2", {}, "Last answer"),
        h("p", {}, h("span", {class: "muted"}, "Input: "), answer.input),
        h("p", {class: "answer"}, h("span", {class: "muted"}, "Answer: "), answer.output),
        h("p", {class: "muted"}, [
            answer.answerProbability === null ? "" : `${formatPercent(answer.answerProbability)} likely`,
            answer.routed ? `routed to ${answer.task}${answer.routeProbability === null ? "" : ` (selector ${formatPercent(answer.routeProbability)})`}` : `task ${answer.task}`
        ].filter((part) => part !== "").join(" · "))
    );
}

function badge(text: string, tone: "ok" | "warn" | "muted"): HTMLElement {
    return h("vscode-badge", {class: `badge-${tone}`}, text);
}
