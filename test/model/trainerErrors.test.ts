import assert from "node:assert/strict";
import {chmod, mkdir, rm, writeFile} from "node:fs/promises";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {ConpetError, type ErrorCode} from "../../src/vocabulary/errors";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import type {TrainJob} from "../../src/vocabulary/trainerProtocol";
import {createSmallTrainJob, createTempDirectory} from "./trainerTestHelpers";

describe("conpet-train reports clear errors", () => {
    let directory = "";
    const job = (overrides: Partial<TrainJob>): TrainJob => createSmallTrainJob(path.join(directory, "out.gguf"), overrides);
    const expectCode = async (trainJob: TrainJob, code: ErrorCode, pattern: RegExp) => {
        await assert.rejects(new TrainerClient().train(trainJob), (err) => {
            assert.ok(err instanceof ConpetError, String(err));
            assert.equal(err.code, code, err.message);
            assert.match(err.message, pattern);
            return true;
        });
    };

    before(async () => {
        directory = await createTempDirectory();
    });

    after(async () => {
        await rm(directory, {recursive: true, force: true});
    });

    test("a missing model file", () => expectCode(job({modelPath: path.join(directory, "nope.gguf")}), "MODEL_NOT_FOUND", /not found/));

    test("a file that is not GGUF", async () => {
        const notGguf = path.join(directory, "model.gguf");
        await writeFile(notGguf, "this is not a model\n".repeat(10));
        await expectCode(job({modelPath: notGguf}), "MODEL_INVALID", /Not a GGUF/);
    });

    test("a truncated GGUF file", async () => {
        const truncated = path.join(directory, "truncated.gguf");
        await writeFile(truncated, Buffer.concat([Buffer.from("GGUF"), Buffer.alloc(20)]));
        await expectCode(job({modelPath: truncated}), "MODEL_INVALID", /damaged|truncated/);
    });

    test("no samples", () => expectCode(job({samples: []}), "EMPTY_DATA", /no training samples/));

    test("an output folder that cannot be written", async () => {
        const readOnly = path.join(directory, "read-only");
        await mkdir(readOnly);
        await chmod(readOnly, 0o500);
        const isRoot = process.getuid?.() === 0;
        // root ignores permissions, so also check a folder that does not exist
        if (!isRoot)
            await expectCode(job({outputPath: path.join(readOnly, "a.gguf")}), "NOT_WRITABLE", /Cannot write/);
        await expectCode(job({outputPath: path.join(directory, "missing", "a.gguf")}), "NOT_WRITABLE", /does not exist/);
    });

    test("a completion longer than the context", () =>
        expectCode(job({contextSize: 16, samples: [{prompt: "A", completion: " once upon a time there was a very long story about a cat and a dog"}]}), "SAMPLE_TOO_LONG", /contextSize 16/));

    test("an unknown LoRA target", () => expectCode(job({lora: {rank: 2, alpha: 4, targetModules: ["qq"]}}), "INVALID_INPUT", /Unknown LoRA target/));
    test("gpuLayers that is not auto, max or a number of layers", () => expectCode(job({gpuLayers: "most" as never}), "INVALID_INPUT", /gpuLayers must be/));

    test("a job without a hyper-parameter: the trainer has no defaults of its own, the core's settings are their one source", async () => {
        for (const field of ["batchSize", "learningRate", "lrSchedule", "seed", "contextSize", "gpuLayers"] as const) {
            const {[field]: _omitted, ...withoutField} = job({});
            await expectCode(withoutField as TrainJob, "INVALID_INPUT", new RegExp(`invalid job: ${field} is required`));
        }
    });
});
