import assert from "node:assert/strict";
import {test} from "node:test";
import {formatPeftTensorName, getPeftModule, parsePeftTensorName} from "../../../src/core/adapters/peftTensorNames";
import {permuteRotaryRows} from "../../../src/core/adapters/permuteRotaryRows";

test("PEFT tensor names map to llama.cpp's and back", () => {
    const cases: [string, string, string][] = [
        ["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "blk.0.attn_q.weight", "A"],
        ["base_model.model.model.layers.12.self_attn.k_proj.lora_B.weight", "blk.12.attn_k.weight", "B"],
        ["base_model.model.model.layers.3.self_attn.v_proj.lora_A.default.weight", "blk.3.attn_v.weight", "A"],
        ["model.layers.3.self_attn.o_proj.lora_B.weight", "blk.3.attn_output.weight", "B"],
        ["base_model.model.model.layers.1.mlp.gate_proj.lora_A.weight", "blk.1.ffn_gate.weight", "A"],
        ["base_model.model.model.layers.1.mlp.up_proj.lora_A.weight", "blk.1.ffn_up.weight", "A"],
        ["base_model.model.model.layers.1.mlp.down_proj.lora_B.weight", "blk.1.ffn_down.weight", "B"],
        ["base_model.model.lm_head.lora_B.weight", "output.weight", "B"]
    ];
    for (const [peft, target, part] of cases) {
        const ref = parsePeftTensorName(peft);
        assert.deepEqual(ref && {target: ref.target, part: ref.part}, {target, part}, peft);
        // Back to the name save_pretrained writes (no adapter name, base_model.model. prefix).
        const module = getPeftModule(target)!.module;
        assert.equal(module, ref!.module);
        assert.equal(parsePeftTensorName(formatPeftTensorName(module, part as "A" | "B"))?.target, target);
    }
    assert.equal(getPeftModule("blk.0.attn_q.weight")?.name, "q_proj");
    for (const unknown of ["base_model.model.model.embed_tokens.lora_embedding_A", "base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector", "base_model.model.model.layers.0.self_attn.qkv_proj.lora_A.weight", "base_model.model.model.layers.0.mlp.gate_proj.base_layer.weight"])
        assert.equal(parsePeftTensorName(unknown), undefined, unknown);
});

test("q/k rows of B move from rotate-half to interleaved order per head, as llama.cpp's converter permutes, and back", () => {
    // Expected orders are what llama.cpp's LlamaModel.permute (numpy reshape/swapaxes) gives for the same input.
    // 2 heads of 4 rows, rank 1: Hugging Face row order h0: [x0 x1 | y0 y1], h1: [x2 x3 | y2 y3]
    // (first halves x, second halves y); llama.cpp pairs each x with its y: h0: [x0 y0 x1 y1], ….
    const hf = Float32Array.of(0, 1, 2, 3, 4, 5, 6, 7);
    const gguf = permuteRotaryRows(hf, 8, 1, 2, "toGguf");
    assert.deepEqual([...gguf], [0, 2, 1, 3, 4, 6, 5, 7]);
    assert.deepEqual(permuteRotaryRows(gguf, 8, 1, 2, "toHf"), hf);

    // Whole rows move (rank 2), and one head of 8 rows: [r0 r1 r2 r3 | r4 r5 r6 r7] → r0 r4 r1 r5 r2 r6 r3 r7.
    const rows = Float32Array.from({length: 16}, (_, i) => i);
    const permuted = permuteRotaryRows(rows, 8, 2, 1, "toGguf");
    assert.deepEqual([...permuted].filter((_, i) => i % 2 === 0).map((v) => v / 2), [0, 4, 1, 5, 2, 6, 3, 7]);
    assert.deepEqual(permuteRotaryRows(permuted, 8, 2, 1, "toHf"), rows);
    assert.throws(() => permuteRotaryRows(rows, 8, 2, 3, "toGguf"), /do not split into 3 heads/);
});
