import {InvalidInputError} from "../vocabulary/errors";
import {maxSampleChars} from "../vocabulary/maxSampleChars";
import type {Task} from "../vocabulary/types";
import {createRandom} from "../vocabulary/createRandom";
import type {SqlExecutor} from "./SqliteDatabase";
import type {AddSamplesResult, NewSample} from "../vocabulary/types";
import type {AddSamplesOptions} from "./types";

/** A reservoir slot: a stored sample, or the index of a sample offered in this call. */
type Slot = {id: number} | {index: number};

// SQLite allows 32,766 bound parameters per statement: 500 rows of six stay far below.
const rowsPerStatement = 500;

/**
 * Inserts samples of one task inside the caller's transaction. Train samples beyond `cap` go
 * through reservoir sampling (Vitter's algorithm R over every train sample ever offered to the
 * task, counted in `tasks.train_seen`), so the kept set stays a uniform subset however the data
 * arrives. A sample the task already has (same input, output and split), or that repeats an earlier
 * one of the call, is skipped and counted in `duplicates`: importing a file twice adds nothing. @internal
 */
export async function insertSamples(sql: SqlExecutor, task: Task, offered: readonly NewSample[], {cap, seed}: AddSamplesOptions = {}): Promise<AddSamplesResult> {
    offered.forEach((sample, index) => validateSample(task, sample, index));
    if (cap !== undefined && (!Number.isInteger(cap) || cap < 1))
        throw new InvalidInputError(`The sample cap must be a positive whole number, not ${cap}.`);
    const known = new Set((await sql.all<{input: string; output: string; split: string}>("SELECT input, output, split FROM samples WHERE task_id = ?", [task.id]))
        .map(getSampleKey));
    const samples = offered.filter((sample) => {
        const key = getSampleKey({input: sample.input, output: sample.output, split: sample.split ?? "train"});
        if (known.has(key))
            return false;
        known.add(key);
        return true;
    });

    const seenRow = await sql.get<{train_seen: number}>("SELECT train_seen FROM tasks WHERE id = ?", [task.id]);
    let seen = seenRow?.train_seen ?? 0;
    // Mixing in the task and how many samples it has seen makes repeated calls with one seed differ.
    const random = createRandom(((seed ?? Math.floor(Math.random() * 2 ** 32)) ^ Math.imul(task.id, 0x9e3779b1) ^ seen) >>> 0);

    // The reservoir is decided in memory first, then applied with a few multi-row statements:
    // a statement per sample would make a 100,000-sample import 100,000 round trips.
    const storedIds = cap === undefined
        ? []
        : (await sql.all<{id: number}>("SELECT id FROM samples WHERE task_id = ? AND split = 'train' ORDER BY id", [task.id])).map((row) => row.id);
    const slots: Slot[] = storedIds.map((id) => ({id}));
    const keep = new Set<number>();
    samples.forEach((sample, index) => {
        if ((sample.split ?? "train") !== "train") {
            keep.add(index);
            return;
        }
        const offered = seen++;
        if (cap === undefined) {
            keep.add(index);
            return;
        }
        const slot = slots.length < cap ? slots.length : random.int(offered + 1);
        if (slot >= cap)
            return;
        const replaced = slots[slot];
        if (replaced !== undefined && "index" in replaced)
            keep.delete(replaced.index);
        slots[slot] = {index};
        keep.add(index);
    });

    const stillStored = new Set(slots.flatMap((slot) => "id" in slot ? [slot.id] : []));
    const evictedIds = storedIds.filter((id) => !stillStored.has(id));
    for (let start = 0; start < evictedIds.length; start += rowsPerStatement) {
        const chunk = evictedIds.slice(start, start + rowsPerStatement);
        await sql.run(`DELETE FROM samples WHERE id IN (${chunk.map(() => "?").join(", ")})`, chunk);
    }
    const now = new Date().toISOString();
    const kept = samples.filter((_, index) => keep.has(index));
    for (let start = 0; start < kept.length; start += rowsPerStatement) {
        const chunk = kept.slice(start, start + rowsPerStatement);
        await sql.run(
            `INSERT INTO samples (task_id, input, output, split, source, created_at) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`,
            chunk.flatMap((sample) => [task.id, sample.input, sample.output, sample.split ?? "train", sample.source == null ? null : JSON.stringify(sample.source), now])
        );
    }
    await sql.run("UPDATE tasks SET train_seen = ?, updated_at = ? WHERE id = ?", [seen, now, task.id]);

    const trainOffered = samples.filter((sample) => (sample.split ?? "train") === "train").length;
    const trainKept = kept.filter((sample) => (sample.split ?? "train") === "train").length;
    return {added: kept.length, evicted: evictedIds.length, skipped: trainOffered - trainKept, duplicates: offered.length - samples.length};
}

function getSampleKey(sample: {input: string; output: string; split: string}): string {
    return JSON.stringify([sample.split, sample.input, sample.output]);
}

function validateSample(task: Task, sample: NewSample, index: number): void {
    const where = `Sample ${index + 1} of task ${JSON.stringify(task.name)}`;
    if (typeof sample.input !== "string" || sample.input.trim() === "")
        throw new InvalidInputError(`${where} has an empty input.`, {task: task.name, index});
    if (typeof sample.output !== "string" || sample.output === "")
        throw new InvalidInputError(`${where} has an empty output.`, {task: task.name, index});
    for (const field of ["input", "output"] as const)
        if (sample[field].length > maxSampleChars)
            throw new InvalidInputError(
                `${where} has an ${field} of ${sample[field].length.toLocaleString("en-US")} characters; a sample can have at most ${maxSampleChars.toLocaleString("en-US")}. Select a smaller part.`,
                {task: task.name, index, field, length: sample[field].length, max: maxSampleChars}
            );
    if (sample.split !== undefined && sample.split !== "train" && sample.split !== "test")
        throw new InvalidInputError(`${where} has split ${JSON.stringify(sample.split)}; use "train" or "test".`, {task: task.name, index});
    if (task.kind === "classify" && !task.labels.includes(sample.output))
        throw new InvalidInputError(
            `${where} has output ${JSON.stringify(sample.output)}, which is not one of its labels (${task.labels.join(", ")}).`,
            {task: task.name, index, output: sample.output}
        );
}
