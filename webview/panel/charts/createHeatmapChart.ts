import {CategoryScale, Chart, Tooltip, type Plugin} from "chart.js";
import {MatrixController, MatrixElement, type MatrixDataPoint} from "chartjs-chart-matrix";
import type {PanelEvaluation} from "../../../src/extension/panel/protocol";
import {getAccuracyColor, getThemeColor} from "../theme";

Chart.register(MatrixController, MatrixElement, CategoryScale, Tooltip);

type Cell = MatrixDataPoint & {v: number};

/** Writes each cell's accuracy in the cell, so the matrix reads without hovering. */
const cellLabels: Plugin<"matrix"> = {
    id: "conpetCellLabels",
    afterDatasetsDraw(chart) {
        const {ctx} = chart;
        const meta = chart.getDatasetMeta(0);
        const data = chart.data.datasets[0]?.data as Cell[] | undefined;
        if (data === undefined)
            return;
        ctx.save();
        ctx.font = `12px ${getThemeColor("font-family", "sans-serif")}`;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillStyle = "#ffffff";
        meta.data.forEach((element, index) => {
            const cell = data[index];
            if (cell === undefined)
                return;
            const {x, y, width, height} = element.getProps(["x", "y", "width", "height"], true) as {x: number; y: number; width: number; height: number};
            ctx.fillText(`${Math.round(cell.v * 100)}%`, x + width / 2, y + height / 2);
        });
        ctx.restore();
    }
};

/**
 * The accuracy-after-each-task matrix: row t is "after learning task t", column j is task j;
 * cells fade from green to red as an earlier task is forgotten.
 */
export function createHeatmapChart(canvas: HTMLCanvasElement): {update(evaluation: PanelEvaluation): void; applyTheme(): void} {
    let size = 1;
    const chart = new Chart<"matrix", Cell[], string>(canvas, {
        type: "matrix",
        data: {datasets: [{
            label: "accuracy",
            data: [],
            backgroundColor: (context) => getAccuracyColor((context.raw as Cell | undefined)?.v ?? 0),
            borderWidth: 1,
            width: ({chart: current}) => (current.chartArea?.width ?? 0) / size - 1,
            height: ({chart: current}) => (current.chartArea?.height ?? 0) / size - 1
        }]},
        options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            scales: {
                x: {type: "category", labels: [], offset: true, grid: {display: false}, title: {display: true, text: "accuracy on task"}},
                // The first task's row on top, so the matrix reads like the paper's lower triangle.
                y: {type: "category", labels: [], offset: true, reverse: true, grid: {display: false}, title: {display: true, text: "after learning"}}
            },
            plugins: {
                legend: {display: false},
                tooltip: {
                    callbacks: {
                        title: () => "",
                        label: (context) => {
                            const cell = context.raw as Cell;
                            return `after ${String(cell.y)}: ${String(cell.x)} ${(cell.v * 100).toFixed(1)}%`;
                        }
                    }
                }
            }
        },
        plugins: [cellLabels]
    });
    const setColors = () => {
        const foreground = getThemeColor("foreground", "#cccccc");
        const {x, y} = chart.options.scales as {x: AxisOptions; y: AxisOptions};
        for (const axis of [x, y]) {
            axis.title.color = foreground;
            axis.ticks.color = foreground;
        }
        chart.data.datasets[0]!.borderColor = getThemeColor("editor-background", "#1e1e1e");
        canvas.dataset.foreground = foreground;
    };
    setColors();
    return {
        update(evaluation) {
            size = Math.max(1, evaluation.tasks.length);
            // A column measured on training samples is named so, since its numbers are not held-out accuracy.
            const columns = evaluation.tasks.map((task) => evaluation.trainMeasured.includes(task) ? `${task} (train)` : task);
            const cells: Cell[] = [];
            evaluation.matrix.forEach((row, t) => row.forEach((value, j) => {
                const y = evaluation.tasks[t];
                const x = columns[j];
                if (x !== undefined && y !== undefined && Number.isFinite(value))
                    cells.push({x, y, v: value});
            }));
            chart.data.datasets[0]!.data = cells;
            const scales = chart.options.scales as {x: {labels: string[]}; y: {labels: string[]}};
            scales.x.labels = columns;
            scales.y.labels = [...evaluation.tasks];
            chart.update("none");
        },
        applyTheme() {
            setColors();
            chart.update("none");
        }
    };
}

type AxisOptions = {title: {color?: string}; ticks: {color?: string}};
