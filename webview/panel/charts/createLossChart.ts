import {CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip} from "chart.js";
import type {PanelTraining} from "../../../src/extension/panel/protocol";
import {getSeriesColor, getThemeColor} from "../theme";

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

/** The loss curve: one line per task, live while training (updated without animation). */
export function createLossChart(canvas: HTMLCanvasElement): {update(training: PanelTraining): void} {
    const foreground = getThemeColor("foreground", "#cccccc");
    const grid = getThemeColor("editorWidget-border", "rgba(128,128,128,0.3)");
    const chart = new Chart(canvas, {
        type: "line",
        data: {datasets: []},
        options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            parsing: false,
            normalized: true,
            color: foreground,
            scales: {
                x: {type: "linear", title: {display: true, text: "step", color: foreground}, ticks: {color: foreground}, grid: {color: grid}},
                y: {type: "linear", title: {display: true, text: "loss", color: foreground}, ticks: {color: foreground}, grid: {color: grid}}
            },
            plugins: {legend: {labels: {color: foreground, boxWidth: 12}}, tooltip: {mode: "nearest", intersect: false}}
        }
    });
    return {
        update(training) {
            chart.data.datasets = training.lossCurves.map((curve, index) => ({
                label: curve.live ? `${curve.task} (live)` : curve.task,
                data: curve.points.map((point) => ({x: point.step, y: point.loss})),
                borderColor: getSeriesColor(index),
                backgroundColor: getSeriesColor(index),
                borderWidth: 1.5,
                pointRadius: 0,
                tension: 0.2
            }));
            chart.update("none");
        }
    };
}
