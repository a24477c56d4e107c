/**
 * A benchmark's finished steps, saved in its store folder after every task, so that a run cut
 * short (a timeout, a crash, Ctrl+C after an hour of training) resumes after its last finished
 * task instead of starting over: the trained modules are in the store, their measurements here.
 */
import {readFile, rename, writeFile} from "node:fs/promises";
import path from "node:path";
import type {LearnTaskResult} from "../strategies/types";

/** What one task of the sequence produced: its training cost and the evaluation after it. */
export type BenchmarkStep = {
    task: string;
    learned: LearnTaskResult;
    /** Accuracy on each seen task's test set (row t of the accuracy matrix). */
    accuracy: number[];
    similarity: (number | null)[];
    /** Routing accuracy per seen task; null for modes that do not route. */
    routing: number[] | null;
    /** Dynamic: this task's own module answering with the task known; null otherwise. */
    oracle: number | null;
    counts: {correct: number; total: number}[];
    routes: {expectedTaskId: number; routedTaskId: number | null; probability: number}[];
    evalSeconds: number;
};

type CheckpointFile = {format: "conpet-bench-checkpoint-v1"; key: string; steps: BenchmarkStep[]};

const fileName = "bench-checkpoint.json";

/** The finished steps of an earlier run with the same `key` (suite, mode, settings), or none. */
export async function readBenchmarkCheckpoint(storeDirectory: string, key: string): Promise<BenchmarkStep[]> {
    let file: Partial<CheckpointFile>;
    try {
        file = JSON.parse(await readFile(path.join(storeDirectory, fileName), "utf8")) as Partial<CheckpointFile>;
    } catch {
        return [];
    }
    return file.format === "conpet-bench-checkpoint-v1" && file.key === key && Array.isArray(file.steps) ? file.steps : [];
}

export async function writeBenchmarkCheckpoint(storeDirectory: string, key: string, steps: readonly BenchmarkStep[]): Promise<void> {
    const target = path.join(storeDirectory, fileName);
    const temporary = `${target}.tmp-${process.pid}`;
    const file: CheckpointFile = {format: "conpet-bench-checkpoint-v1", key, steps: [...steps]};
    await writeFile(temporary, JSON.stringify(file));
    await rename(temporary, target);
}
