import assert from "node:assert/strict";
import {chmod, mkdtemp, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {ConpetError} from "../../src/vocabulary/errors";
import {isAllocationFailureLog} from "../../src/trainer/isAllocationFailureLog";
import {parseTrainerEvent} from "../../src/trainer/parseTrainerEvent";
import type {TrainJob} from "../../src/vocabulary/trainerProtocol";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import {TrainerLineSplitter} from "../../src/trainer/TrainerLineSplitter";

const baseJob: TrainJob = {
    modelPath: "m.gguf", outputPath: "o.gguf", samples: [], lora: {rank: 1, alpha: 1, targetModules: ["q"]}, steps: 1,
    batchSize: 1, learningRate: 1e-3, lrSchedule: "constant", seed: 1, contextSize: 64, gpuLayers: 0
};

describe("trainer client: parsing the trainer's output", () => {
    test("parseTrainerEvent accepts known events and ignores anything else", () => {
        assert.deepEqual(parseTrainerEvent('{"type":"eval","step":3,"loss":1.5}'), {type: "eval", step: 3, loss: 1.5});
        assert.equal(parseTrainerEvent("llama_model_load: loading"), undefined);
        assert.equal(parseTrainerEvent('{"type":"progress","step":'), undefined);
        assert.equal(parseTrainerEvent('{"type":"bogus"}'), undefined);
        assert.equal(parseTrainerEvent("[1,2]"), undefined);
    });

    test("TrainerLineSplitter keeps partial lines and split UTF-8 characters for the next chunk", () => {
        const splitter = new TrainerLineSplitter();
        const bytes = Buffer.from('{"a":1}\n{"b":"é"}\n{"c"', "utf8");
        const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte "é"
        assert.deepEqual(splitter.push(bytes.subarray(0, cut)), ['{"a":1}']);
        assert.deepEqual(splitter.push(bytes.subarray(cut)), ['{"b":"é"}']);
        assert.deepEqual(splitter.end(), ['{"c"']);
    });
});

describe("trainer client: processes that misbehave", () => {
    let directory = "";
    const script = async (name: string, body: string) => {
        const file = path.join(directory, name);
        await writeFile(file, `#!/bin/sh\n${body}\n`);
        await chmod(file, 0o755);
        return file;
    };

    // The client writes the job file beside the output: keep both in the test's folder.
    let job = baseJob;
    before(async () => {
        directory = await mkdtemp(path.join(os.tmpdir(), "conpet-trainer-client-"));
        job = {...baseJob, outputPath: path.join(directory, "o.gguf")};
    });

    after(async () => {
        await rm(directory, {recursive: true, force: true});
    });

    test("a missing binary is TRAINER_NOT_BUILT", async () => {
        await assert.rejects(new TrainerClient({binaryPath: path.join(directory, "none")}).train(job),
            (err) => ConpetError.is(err, "TRAINER_NOT_BUILT") && /build:native/.test(err.message));
    });

    test("garbage, a partial line and a crash become TRAINER_CRASHED with the stderr tail", async () => {
        const binaryPath = await script("crash.sh", `echo 'not json'\necho '{"type":"started","backend":"cpu","threads":1,"trainableParameters":1,"modelParameters":2,"steps":1}'\nprintf '{"type":"progr'\necho 'GGML_ASSERT(x) failed' >&2\nexit 134`);
        const events: string[] = [];
        await assert.rejects(new TrainerClient({binaryPath}).train(job, {onEvent: (e) => events.push(e.type)}), (err) => {
            assert.ok(ConpetError.is(err, "TRAINER_CRASHED"));
            assert.match(err.message, /exited with code 134/);
            assert.match(err.message, /GGML_ASSERT/);
            return true;
        });
        assert.deepEqual(events, ["started"]);
    });

    test("a crash after ggml logged a failed allocation is OUT_OF_MEMORY", async () => {
        // the lines conpet-train printed when ggml aborted under `ulimit -v` before it reported the failure itself
        const binaryPath = await script("oom.sh", `echo 'ggml_aligned_malloc: insufficient memory (attempted to allocate  67.73 MB)' >&2\necho 'ggml.c:7525: GGML_ASSERT(tensor->data) failed' >&2\nkill -ABRT $$`);
        await assert.rejects(new TrainerClient({binaryPath}).train(job), (err) => {
            assert.ok(ConpetError.is(err, "OUT_OF_MEMORY"), String(err));
            assert.match(err.message, /ran out of memory \(it was killed by SIGABRT\)/);
            assert.equal(err.data?.signal, "SIGABRT");
            return true;
        });
    });

    test("isAllocationFailureLog knows ggml's CPU, CUDA and Vulkan allocation failures, and nothing else", () => {
        assert.ok(isAllocationFailureLog("ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 9389140992"));
        assert.ok(isAllocationFailureLog("ggml_backend_cuda_buffer_type_alloc_buffer: allocating 512.00 MiB on device 0: cudaMalloc failed: out of memory"));
        assert.ok(isAllocationFailureLog("ggml_vulkan: Device memory allocation of size 536870912 failed.\nggml_vulkan: vk::Device::allocateMemory: ErrorOutOfDeviceMemory"));
        assert.ok(!isAllocationFailureLog("ggml.c:7525: GGML_ASSERT(tensor->data) failed"));
        assert.ok(!isAllocationFailureLog("load: bad special token: 'tokenizer.ggml.padding_token_id' = 4294967295"));
    });

    test("an error line maps to its error code", async () => {
        const binaryPath = await script("error.sh", `echo '{"type":"error","code":"EMPTY_DATA","message":"There are no training samples."}'\nexit 1`);
        await assert.rejects(new TrainerClient({binaryPath}).train(job), (err) => ConpetError.is(err, "EMPTY_DATA") && err.message === "There are no training samples.");
    });

    test("the job reaches the process as a JSON file", async () => {
        const binaryPath = await script("echo.sh", `n=$(grep -c '"steps":1' "$1")\necho "{\\"type\\":\\"done\\",\\"adapterPath\\":\\"x\\",\\"steps\\":$n,\\"trainableParameters\\":1,\\"modelParameters\\":2,\\"tokens\\":0,\\"seconds\\":0,\\"tokensPerSecond\\":0,\\"finalLoss\\":0,\\"peakRssMb\\":1,\\"backend\\":\\"cpu\\",\\"threads\\":1}"`);
        const done = await new TrainerClient({binaryPath}).train(job);
        assert.equal(done.steps, 1);
    });
});
