import {InvalidInputError} from "../core/errors";
import type {Task} from "../core/types";
import {createRandom} from "../core/utils/createRandom";
import type {SqlExecutor} from "./SqliteDatabase";
import type {AddSamplesOptions, AddSamplesResult, NewSample} from "./types";

/**
 * Inserts samples of one task inside the caller's transaction. Train samples beyond `cap` go
 * through reservoir sampling (Vitter's algorithm R over every train sample ever offered to the
 * task, counted in `tasks.train_seen`), so the kept set stays a uniform subset however the data
 * arrives. @internal
 */
export async function insertSamples(sql: SqlExecutor, task: Task, samples: readonly NewSample[], {cap, seed}: AddSamplesOptions = {}): Promise<AddSamplesResult> {
    samples.forEach((sample, index) => validateSample(task, sample, index));
    if (cap !== undefined && (!Number.isInteger(cap) || cap < 1))
        throw new InvalidInputError(`The sample cap must be a positive whole number, not ${cap}.`);

    const seenRow = await sql.get<{train_seen: number}>("SELECT train_seen FROM tasks WHERE id = ?", [task.id]);
    let seen = seenRow?.train_seen ?? 0;
    // Mixing in the task and how many samples it has seen makes repeated calls with one seed differ.
    const random = createRandom(((seed ?? Math.floor(Math.random() * 2 ** 32)) ^ Math.imul(task.id, 0x9e3779b1) ^ seen) >>> 0);
    const kept = cap === undefined
        ? undefined
        : (await sql.all<{id: number}>("SELECT id FROM samples WHERE task_id = ? AND split = 'train' ORDER BY id", [task.id])).map((row) => row.id);

    const now = new Date().toISOString();
    const insert = async (sample: NewSample) => (await sql.run(
        "INSERT INTO samples (task_id, input, output, split, source, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [task.id, sample.input, sample.output, sample.split ?? "train", sample.source == null ? null : JSON.stringify(sample.source), now]
    )).lastId;

    const result: AddSamplesResult = {added: 0, evicted: 0, skipped: 0};
    for (const sample of samples) {
        if ((sample.split ?? "train") !== "train") {
            await insert(sample);
            result.added++;
            continue;
        }
        const index = seen++;
        if (kept === undefined || cap === undefined || kept.length < cap) {
            const id = await insert(sample);
            kept?.push(id);
            result.added++;
            continue;
        }
        const slot = random.int(index + 1);
        if (slot >= cap) {
            result.skipped++;
            continue;
        }
        await sql.run("DELETE FROM samples WHERE id = ?", [kept[slot]!]);
        kept[slot] = await insert(sample);
        result.added++;
        result.evicted++;
    }
    await sql.run("UPDATE tasks SET train_seen = ?, updated_at = ? WHERE id = ?", [seen, now, task.id]);
    return result;
}

function validateSample(task: Task, sample: NewSample, index: number): void {
    const where = `Sample ${index + 1} of task ${JSON.stringify(task.name)}`;
    if (typeof sample.input !== "string" || sample.input.trim() === "")
        throw new InvalidInputError(`${where} has an empty input.`, {task: task.name, index});
    if (typeof sample.output !== "string" || sample.output === "")
        throw new InvalidInputError(`${where} has an empty output.`, {task: task.name, index});
    if (sample.split !== undefined && sample.split !== "train" && sample.split !== "test")
        throw new InvalidInputError(`${where} has split ${JSON.stringify(sample.split)}; use "train" or "test".`, {task: task.name, index});
    if (task.kind === "classify" && !task.labels.includes(sample.output))
        throw new InvalidInputError(
            `${where} has output ${JSON.stringify(sample.output)}, which is not one of its labels (${task.labels.join(", ")}).`,
            {task: task.name, index, output: sample.output}
        );
}
