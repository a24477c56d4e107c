/**
 * The ConPET panel: module status, selector, replay store, live loss curve, the accuracy matrix
 * heatmap and the engine. The host sends the whole state; this script only renders it.
 */
import "@vscode-elements/elements/dist/vscode-badge/index.js";
import "@vscode-elements/elements/dist/vscode-button/index.js";
import "@vscode-elements/elements/dist/vscode-divider/index.js";
import "@vscode-elements/elements/dist/vscode-progress-bar/index.js";
import "@vscode-elements/elements/dist/vscode-table/index.js";
import "@vscode-elements/elements/dist/vscode-table-body/index.js";
import "@vscode-elements/elements/dist/vscode-table-cell/index.js";
import "@vscode-elements/elements/dist/vscode-table-header/index.js";
import "@vscode-elements/elements/dist/vscode-table-header-cell/index.js";
import "@vscode-elements/elements/dist/vscode-table-row/index.js";
import type {PanelCommand, PanelState, PanelTraining} from "../../src/extension/panel/protocol";
import {createHeatmapChart} from "./charts/createHeatmapChart";
import {createLossChart} from "./charts/createLossChart";
import {h} from "./dom";
import {onThemeChange} from "./theme";
import {renderAnswer, renderEngine, renderModulesTable, renderSelector, renderTrainingStatus} from "./render";
import {connect, runCommand} from "./vscodeApi";

const app = document.getElementById("app")!;

// No `icon` on the buttons: icons need the codicon font stylesheet, which this page does not load.
function button(label: string, command: PanelCommand, options: {secondary?: boolean} = {}): HTMLElement {
    const element = h("vscode-button", {"data-command": command});
    if (options.secondary === true)
        element.setAttribute("secondary", "");
    element.textContent = label;
    element.addEventListener("click", () => {
        runCommand(command).catch(() => {
            // The host already showed the error with its next step.
        });
    });
    return element;
}

const toolbar = h("div", {class: "toolbar"},
    button("Train", "train"),
    button("Cancel", "cancelTraining", {secondary: true}),
    button("Select Model…", "selectModel", {secondary: true}),
    button("Import Examples…", "importExamples", {secondary: true}),
    button("Logs", "showLogs", {secondary: true})
);
const engineSection = h("section", {id: "engine", "aria-label": "Engine"});
const trainingStatus = h("div", {id: "training-status"});
const lossCanvas = h("canvas", {id: "loss-chart", role: "img", "aria-label": "Training loss by step"});
const lossEmpty = h("p", {class: "muted"}, "No training yet: the loss curve appears here while ConPET trains.");
const modulesSection = h("div", {id: "modules"});
const selectorSection = h("section", {id: "selector"});
const heatmapCanvas = h("canvas", {id: "heatmap-chart", role: "img", "aria-label": "Accuracy after each task"});
const heatmapCaption = h("p", {class: "muted", id: "heatmap-caption"});
const answerSection = h("section", {id: "answer"});

app.replaceChildren(
    h("header", {}, h("h1", {}, "ConPET"), toolbar),
    engineSection,
    h("section", {id: "training"}, h("h2", {}, "Training"), trainingStatus, h("div", {class: "chart"}, lossCanvas), lossEmpty),
    h("section", {}, h("h2", {}, "Task modules"), modulesSection),
    selectorSection,
    h("section", {id: "heatmap"}, h("h2", {}, "Accuracy after each task"), heatmapCaption, h("div", {class: "chart heatmap"}, heatmapCanvas)),
    answerSection
);
app.removeAttribute("aria-busy");

const lossChart = createLossChart(lossCanvas);
const heatmapChart = createHeatmapChart(heatmapCanvas);
onThemeChange(() => {
    lossChart.applyTheme();
    heatmapChart.applyTheme();
});

function renderTraining(training: PanelTraining): void {
    renderTrainingStatus(trainingStatus, training);
    lossChart.update(training);
    const empty = training.lossCurves.length === 0;
    lossEmpty.hidden = !empty;
    lossCanvas.parentElement!.hidden = empty;
    for (const element of toolbar.querySelectorAll<HTMLElement>("[data-command=train]"))
        element.toggleAttribute("disabled", training.running);
    for (const element of toolbar.querySelectorAll<HTMLElement>("[data-command=cancelTraining]"))
        element.hidden = !training.running;
}

function render(state: PanelState): void {
    document.body.dataset.trusted = String(state.trusted);
    renderEngine(engineSection, state);
    renderTraining(state.training);
    if (!state.training.running && state.trainingElsewhere !== null)
        trainingStatus.replaceChildren(h("p", {class: "progress-text", id: "training-elsewhere"}, state.trainingElsewhere));
    renderModulesTable(modulesSection, state);
    renderSelector(selectorSection, state);
    const evaluation = state.evaluation;
    heatmapCanvas.parentElement!.hidden = evaluation === null;
    if (evaluation === null)
        heatmapCaption.textContent = "No evaluation yet: after training, ConPET measures every task's held-out accuracy after each new task (forgetting shows as red below the diagonal).";
    else {
        const average = evaluation.heldOutAverage === null ? "no held-out samples to average" : `average held-out accuracy ${(evaluation.heldOutAverage * 100).toFixed(1)}%`;
        const trainOnly = evaluation.trainMeasured.length === 0 ? "" : ` (${evaluation.trainMeasured.length} measured on training samples, marked "train", left out)`;
        heatmapCaption.textContent = `${evaluation.mode} · ${evaluation.tasks.length} tasks · ${average}${trainOnly}${evaluation.selectorAccuracy === null ? "" : ` · selector ${(evaluation.selectorAccuracy * 100).toFixed(1)}%`} · ${new Date(evaluation.createdAt).toLocaleString()}`;
        heatmapChart.update(evaluation);
    }
    renderAnswer(answerSection, state);
    document.body.dataset.ready = "true";
}

connect((message) => {
    if (message.type === "state/didChange")
        render(message.state);
    else
        renderTraining(message.training);
});
