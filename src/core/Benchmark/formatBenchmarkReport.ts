import type {BenchmarkReport} from "./types";

/** The readable summary `conpet bench` prints: the matrix and the headline numbers. */
export function formatBenchmarkReport(report: BenchmarkReport): string {
    const pct = (v: number) => (v * 100).toFixed(1).padStart(6);
    const width = Math.max(...report.tasks.map((t) => t.length), 8);
    const lines = [
        `suite ${report.suite}, model ${report.model}, mode ${report.mode}${report.selector === null ? "" : ` (selector ${report.selector})`}, seed ${report.seed}`,
        "",
        `accuracy (%) after learning ↓ on ${report.tasks.map((t) => t.slice(0, 8).padStart(8)).join(" ")}`
    ];
    report.accuracy_matrix.forEach((row, t) => {
        lines.push(`${report.tasks[t]!.padEnd(width)}${" ".repeat(Math.max(0, 24 - width))} ${row.map((v) => `  ${pct(v)}`).join(" ")}`);
    });
    lines.push(
        "",
        `average accuracy   ${pct(report.average_accuracy)} %`,
        `whole accuracy     ${pct(report.whole_accuracy)} %`,
        `forgetting         ${pct(report.forgetting)} pts`,
        ...(report.average_similarity === null ? [] : [`char. similarity   ${pct(report.average_similarity)} %  (generate tasks, last row)`]),
        `oracle avg. acc.   ${report.oracle_average_accuracy === null ? "     -" : pct(report.oracle_average_accuracy)} %  (each task's own module, task known)`,
        `selector accuracy  ${report.selector_accuracy === null ? "     -" : pct(report.selector_accuracy)} %`,
        `selector ECE       ${report.selector_calibration_error === null ? "     -" : pct(report.selector_calibration_error)} pts`,
        `train s per task   ${report.train_seconds_per_task.map((s) => s.toFixed(1)).join(", ")}`,
        `train tokens/s     ${report.train_tokens_per_second.toFixed(0)}`,
        `trainable params   ${report.trainable_parameters} per module (${report.trainable_parameters_total} in all) of ${report.model_parameters}`,
        `peak RSS           ${report.peak_rss_mb} MB`
    );
    return lines.join("\n");
}
