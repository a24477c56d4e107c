/**
 * Adapters in and out on the reference model, through the real trainer, store and engine: a trained
 * module exported as PEFT and imported back scores like the original; a PEFT adapter on the output
 * layer, with weights chosen here, changes the log-odds exactly as computed by hand from the model's
 * own output weights.
 */
import assert from "node:assert/strict";
import {mkdtemp, readFile, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {importAdapter} from "../../../src/core/adapters/importAdapter";
import {Conpet} from "../../../src/core/Conpet/Conpet";
import {readGgufHeader} from "../../../src/core/adapters/gguf/readGgufHeader";
import {exportTasks} from "../../../src/core/importExport/exportTasks";
import type {EngineClient} from "../../../src/engine/client/EngineClient";
import {ConpetStore} from "../../../src/store/ConpetStore";
import {TrainerClient} from "../../../src/trainer/TrainerClient";
import {writePeftFolder} from "../../unit/adapters/adapterFixtures";
import {getTestModelPath} from "../../utils/modelFiles";
import {createTestEngineClient, getTestLoadParams, maxDifference} from "../engineTestClient";
import {createSmallTrainJob} from "../trainerTestHelpers";

const items = [
    {prompt: "Once upon a time", completions: [" there was a cat.", " a dog ran."]},
    {prompt: "Tom was sad because", completions: [" it rained.", " he was hungry."]}
];

describe("adapters in and out on the reference model", () => {
    let directory: string;
    let store: ConpetStore;
    let engine: EngineClient;
    let trainer: TrainerClient;
    const modelPath = getTestModelPath();

    before(async () => {
        directory = await mkdtemp(path.join(tmpdir(), "conpet-adapters-"));
        store = await ConpetStore.open({directory: path.join(directory, "store")});
        engine = createTestEngineClient();
        await engine.load(getTestLoadParams());
        trainer = new TrainerClient();
    });
    after(async () => {
        trainer.dispose();
        engine.dispose();
        await store.dispose();
        await rm(directory, {recursive: true, force: true});
    });

    test("a trained module exported as PEFT and imported back scores exactly like the original", async () => {
        const info = (await engine.info({}))!;
        const trained = path.join(directory, "trained.gguf");
        await trainer.train(createSmallTrainJob(trained, {
            samples: [{prompt: "Once upon a time", completion: " there was a cat."}, {prompt: "Tom was sad because", completion: " it rained."}],
            lora: {rank: 4, alpha: 8, targetModules: ["q", "k", "v", "o"]},
            steps: 6,
            learningRate: 2e-2
        }));
        const source = await store.createTask({name: "stories", instruction: "Tell a story", kind: "generate"});
        const module = await store.registerModule({
            sourceFile: trained, taskId: source.id, kind: "task-lora", baseModelFingerprint: info.fingerprint, rank: 4, alpha: 8,
            targetModules: ["q", "k", "v", "o"], trainableParameters: 0, metrics: {}, samplesHash: await store.getSamplesHash(source.id)
        });

        const exported = await exportTasks(store, {outDir: path.join(directory, "export"), modelPath});
        assert.deepEqual(exported.warnings, []);
        const peftFolder = path.join(exported.directory, exported.tasks[0]!.peftAdapter!);
        await store.createTask({name: "stories again", instruction: "Tell a story", kind: "generate"});
        const imported = await importAdapter(store, {task: "stories again", adapterPath: peftFolder, modelPath});
        assert.equal(imported.format, "peft");
        assert.equal(imported.module.baseModelFingerprint, info.fingerprint);

        const base = await engine.score({items});
        const original = await engine.score({items, adapters: [{filePath: store.resolveModulePath(module)}]});
        const roundTripped = await engine.score({items, adapters: [{filePath: store.resolveModulePath(imported.module)}]});
        // The check means something only if the trained adapter moves the scores.
        assert.ok(maxDifference(base.logProbs, original.logProbs) > 0.01, `the trained adapter changes the scores by ${maxDifference(base.logProbs, original.logProbs)}`);
        assert.ok(maxDifference(original.logProbs, roundTripped.logProbs) < 1e-5, `difference ${maxDifference(original.logProbs, roundTripped.logProbs)}`);
    });

    test("a PEFT adapter on lm_head changes the log-odds exactly as computed by hand from the output weights", async () => {
        // Pick three completions that are one token each.
        const single: {text: string; token: number}[] = [];
        for (const text of ["the", "a", "he", "she", "and", "was", "day", "girl", "dog", "big"]) {
            const {tokens} = await engine.tokenize({text, addBos: false});
            if (tokens.length === 1)
                single.push({text, token: tokens[0]!});
        }
        assert.ok(single.length >= 3, `one-token completions: ${JSON.stringify(single)}`);
        const [t, u, w] = single as [typeof single[0], typeof single[0], typeof single[0]];

        // The output layer: logits z = W h, W of ggml shape [n_embd, n_vocab] (row k = token k's weights).
        const header = await readGgufHeader(modelPath);
        const output = header.tensors.find((tensor) => tensor.name === "output.weight")!;
        const [nEmbd, nVocab] = output.dimensions as [number, number];
        assert.equal(output.type, 0, "the reference model's output layer is F32");
        const bytes = await readFile(modelPath);
        const row = (token: number) => new Float32Array(bytes.buffer.slice(bytes.byteOffset + output.offset + token * nEmbd * 4, bytes.byteOffset + output.offset + (token + 1) * nEmbd * 4));
        const [rowT, rowU] = [row(t.token), row(u.token)];

        // Rank 1, scale lora_alpha / r = 1: A = W_t − W_u, so A·h = z_t − z_u at every position; B adds
        // beta times that to token t's logit only. Then z'_t − z_u = (1 + beta)(z_t − z_u), and every other
        // token's logit, such as w's, is unchanged: log p'(w) − log p'(u) = log p(w) − log p(u).
        const beta = 1.5;
        const b = new Float32Array(nVocab);
        b[t.token] = beta;
        const folder = await writePeftFolder(path.join(directory, "lm-head"), {r: 1, lora_alpha: 1, target_modules: ["lm_head"]}, {
            "base_model.model.lm_head.lora_A.weight": {shape: [1, nEmbd], data: rowT.map((value, i) => value - rowU[i]!)},
            "base_model.model.lm_head.lora_B.weight": {shape: [nVocab, 1], data: b}
        });
        await store.createTask({name: "lm head", instruction: "Tell a story", kind: "generate"});
        const {module} = await importAdapter(store, {task: "lm head", adapterPath: folder, modelPath});

        const prompts = ["Once upon a time, there was a little", "The", "Lily and Tom went to the park. They saw a big"];
        const scoreItems = prompts.map((prompt) => ({prompt, completions: [t.text, u.text, w.text]}));
        const before = (await engine.score({items: scoreItems})).logProbs;
        const after = (await engine.score({items: scoreItems, adapters: [{filePath: store.resolveModulePath(module)}]})).logProbs;
        prompts.forEach((prompt, i) => {
            const [lt, lu, lw] = before[i]!;
            const [at, au, aw] = after[i]!;
            const logOdds = lt! - lu!;
            assert.ok(Math.abs(logOdds) > 0.2, `${prompt}: the base log-odds ${logOdds} are large enough for the check to mean something`);
            assert.ok(Math.abs((at! - au!) - (1 + beta) * logOdds) < 1e-4, `${prompt}: log-odds ${at! - au!}, expected ${(1 + beta) * logOdds}`);
            assert.ok(Math.abs((aw! - au!) - (lw! - lu!)) < 1e-4, `${prompt}: an unadapted token's log-odds moved from ${lw! - lu!} to ${aw! - au!}`);
        });
    });

    test("an imported module stays the task's module: Train keeps it and only retrains the selector, and Run Task answers with it", async () => {
        const conpet = await Conpet.create({store, engine, trainer, settings: {modelPath, stepsPerTask: 3, batchSize: 2, threads: 1, contextSize: 128}});
        try {
            const trained = await store.createTask({name: "yes or no", instruction: "Answer yes or no", kind: "classify", labels: ["yes", "no"]});
            await store.addSamples(trained.id, [{input: "is it done?", output: "yes"}, {input: "is it late?", output: "no"}]);
            await conpet.train({});
            const source = (await store.listModules()).find((candidate) => candidate.taskId === trained.id && candidate.kind === "task-lora")!;
            await store.createTask({name: "imported", instruction: "Answer yes or no", kind: "classify", labels: ["yes", "no"]});
            await store.addSamples((await store.getTask("imported")).id, [{input: "was it imported?", output: "yes"}]);
            const {module} = await importAdapter(store, {task: "imported", adapterPath: store.resolveModulePath(source), modelPath});

            const result = await conpet.train({});
            assert.deepEqual(result.learned, [], "the imported module is ready: nothing to learn");
            assert.equal(result.selectorRetrained, true, "the selector now routes to the imported task too");
            assert.equal((await store.getModule(module.taskId, "task-lora", module.baseModelFingerprint))?.id, module.id);
            assert.equal((await conpet.runTask("imported", "is it done?")).moduleId, module.id);
        } finally {
            conpet.dispose();
        }
    });
});
