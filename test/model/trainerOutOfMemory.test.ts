import assert from "node:assert/strict";
import {chmod, mkdir, readdir, rm, writeFile} from "node:fs/promises";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {ConpetError} from "../../src/vocabulary/errors";
import type {TrainJob} from "../../src/vocabulary/trainerProtocol";
import {resolveTrainerBinaryPath} from "../../src/trainer/resolveTrainerBinaryPath";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import {createSmallTrainJob, createTempDirectory} from "./trainerTestHelpers";

/**
 * Address-space limit for the trainer (KiB). Measured on stories260K: a rank-2 job needs ~160 MiB of
 * address space (the backends map more than they touch), a rank-1024 job on all seven projections
 * ~300 MiB, so 200 MiB lets the first through and starves the second, without touching this machine's
 * real memory.
 */
const addressSpaceLimitKb = 200_000;

describe("conpet-train out of memory", () => {
    let directory = "";
    let outputDirectory = "";
    let limitedTrainer = "";

    const job = (overrides: Partial<TrainJob>): TrainJob => createSmallTrainJob(path.join(outputDirectory, "out.gguf"), overrides);

    const expectOutOfMemory = async (trainJob: TrainJob, pattern: RegExp) => {
        await assert.rejects(new TrainerClient({binaryPath: limitedTrainer}).train(trainJob), (err) => {
            assert.ok(err instanceof ConpetError, String(err));
            assert.equal(err.code, "OUT_OF_MEMORY", err.message);
            assert.match(err.message, pattern);
            return true;
        });
        // neither the adapter nor the trainer's temporary files (`out.gguf.tmp-<pid>`, `.init.tmp-<pid>`)
        assert.deepEqual(await readdir(outputDirectory), []);
    };

    before(async () => {
        directory = await createTempDirectory();
        outputDirectory = path.join(directory, "out");
        await mkdir(outputDirectory);
        limitedTrainer = path.join(directory, "conpet-train-limited.sh");
        await writeFile(limitedTrainer, `#!/bin/sh\nulimit -v ${addressSpaceLimitKb}\nexec '${resolveTrainerBinaryPath()}' "$@"\n`);
        await chmod(limitedTrainer, 0o755);
    });

    after(async () => {
        await rm(directory, {recursive: true, force: true});
    });

    test("a small job fits the limit", async () => {
        const done = await new TrainerClient({binaryPath: limitedTrainer}).train(job({}));
        assert.equal(done.adapterPath, path.join(outputDirectory, "out.gguf"));
        await rm(done.adapterPath);
    });

    test("a LoRA rank that does not fit is OUT_OF_MEMORY, not a crash, and leaves no files", () =>
        expectOutOfMemory(job({lora: {rank: 1024, alpha: 16, targetModules: ["q", "k", "v", "o", "gate", "up", "down"]}}), /Out of memory.*LoRA rank/));

    test("a batch whose training context does not fit is OUT_OF_MEMORY", () =>
        expectOutOfMemory(job({samples: [], syntheticSamples: {count: 4, promptTokens: 200, completionTokens: 50}, batchSize: 64}), /training context.*Lower batchSize/));
});
