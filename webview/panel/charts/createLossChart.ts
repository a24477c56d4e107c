import {CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip} from "chart.js";
import type {PanelTraining} from "../../../src/extension/panel/protocol";
import {getSeriesColor, getThemeColor} from "../theme";

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

/**
 * The loss curve: one line per task, live while training (updated without animation). `applyTheme`
 * rereads the theme's colors; the canvas carries the foreground it drew with in `data-foreground`.
 */
export function createLossChart(canvas: HTMLCanvasElement): {update(training: PanelTraining): void; applyTheme(): void} {
    const chart = new Chart(canvas, {
        type: "line",
        data: {datasets: []},
        options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            parsing: false,
            normalized: true,
            scales: {
                // Steps are whole numbers: no tick at 12.5.
                x: {type: "linear", title: {display: true, text: "step"}, ticks: {precision: 0}},
                y: {type: "linear", title: {display: true, text: "loss"}}
            },
            plugins: {legend: {labels: {boxWidth: 12}}, tooltip: {mode: "nearest", intersect: false}}
        }
    });
    const setColors = () => {
        const foreground = getThemeColor("foreground", "#cccccc");
        const grid = getThemeColor("editorWidget-border", "rgba(128,128,128,0.3)");
        const {x, y} = chart.options.scales as {x: AxisOptions; y: AxisOptions};
        for (const axis of [x, y]) {
            axis.title.color = foreground;
            axis.ticks.color = foreground;
            axis.grid = {color: grid};
        }
        chart.options.color = foreground;
        chart.options.plugins!.legend!.labels!.color = foreground;
        chart.data.datasets.forEach((dataset, index) => {
            dataset.borderColor = getSeriesColor(index);
            dataset.backgroundColor = getSeriesColor(index);
        });
        canvas.dataset.foreground = foreground;
    };
    setColors();
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
        },
        applyTheme() {
            setColors();
            chart.update("none");
        }
    };
}

type AxisOptions = {title: {color?: string}; ticks: {color?: string}; grid: {color?: string}};
