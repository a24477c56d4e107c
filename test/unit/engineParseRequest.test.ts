import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {parseEngineRequest} from "../../src/engine/process/parseEngineRequest";

function invalidMessage(message: unknown): {id?: number; code: string; text: string} {
    const parsed = parseEngineRequest(message);
    assert.equal(parsed.kind, "invalid", `expected ${JSON.stringify(message)} to be rejected`);
    if (parsed.kind !== "invalid")
        throw new Error("unreachable");
    return {...(parsed.id === undefined ? {} : {id: parsed.id}), code: parsed.error.code, text: parsed.error.message};
}

describe("parseEngineRequest", () => {
    test("accepts a well-formed request of each method", () => {
        const requests = [
            {id: 1, method: "load", params: {modelPath: "/m.gguf", gpuLayers: "auto", threads: 1, contextSize: 256, sequences: 2}},
            {id: 2, method: "info", params: {}},
            {id: 3, method: "generate", params: {prompt: "Hi", maxTokens: 4, temperature: 0, stopStrings: ["\n"], adapters: [{filePath: "/a.gguf", scale: 0.5}]}},
            {id: 4, method: "score", params: {items: [{prompt: "p", completions: ["a", "b"]}]}},
            {id: 5, method: "embed", params: {texts: ["x", ""]}},
            {id: 6, method: "tokenize", params: {text: "x", addBos: true}},
            {id: 7, method: "download", params: {uri: "smollm2-135m", directory: "/models"}},
            {id: 10, method: "detectGpus", params: {}}
        ];
        for (const request of requests) {
            const parsed = parseEngineRequest(request);
            assert.equal(parsed.kind, "request", JSON.stringify(parsed));
            if (parsed.kind === "request")
                assert.deepEqual(parsed.request, request);
        }
    });

    test("fills gpuLayers with auto and keeps absent options absent", () => {
        const parsed = parseEngineRequest({id: 9, method: "load", params: {modelPath: "/m.gguf", threads: 0}});
        assert.equal(parsed.kind, "request");
        if (parsed.kind === "request")
            assert.deepEqual(parsed.request.params, {modelPath: "/m.gguf", gpuLayers: "auto", threads: 0});
    });

    test("parses a cancel", () => {
        assert.deepEqual(parseEngineRequest({cancel: 12}), {kind: "cancel", id: 12});
    });

    test("rejects messages without a usable id, with no id to reply to", () => {
        for (const message of [null, 42, "load", [], {method: "info"}, {id: -1, method: "info"}, {id: 1.5, method: "info"}, {cancel: "x"}])
            assert.equal(invalidMessage(message).id, undefined);
    });

    test("rejects bad params with INVALID_INPUT and the request's id", () => {
        const cases: [unknown, RegExp][] = [
            [{id: 1, method: "explode", params: {}}, /Unknown engine method/],
            [{id: 1, method: "info", params: "x"}, /must be an object/],
            [{id: 1, method: "load", params: {gpuLayers: "auto", threads: 1}}, /modelPath/],
            [{id: 1, method: "load", params: {modelPath: "/m", gpuLayers: "most", threads: 1}}, /gpuLayers/],
            [{id: 1, method: "load", params: {modelPath: "/m", gpuLayers: -2, threads: 1}}, /gpuLayers/],
            [{id: 1, method: "load", params: {modelPath: "/m", threads: 1, contextSize: 4}}, /contextSize/],
            [{id: 1, method: "generate", params: {prompt: 5}}, /prompt/],
            [{id: 1, method: "generate", params: {prompt: "p", maxTokens: 0}}, /maxTokens/],
            [{id: 1, method: "generate", params: {prompt: "p", temperature: Number.NaN}}, /temperature/],
            [{id: 1, method: "generate", params: {prompt: "p", stopStrings: "\n"}}, /stopStrings/],
            [{id: 1, method: "generate", params: {prompt: "p", adapters: [{scale: 1}]}}, /filePath/],
            [{id: 1, method: "score", params: {items: [{prompt: "p", completions: []}]}}, /completions/],
            [{id: 1, method: "score", params: {}}, /items/],
            [{id: 1, method: "embed", params: {texts: [1]}}, /texts/],
            [{id: 1, method: "tokenize", params: {text: "x"}}, /addBos/],
            [{id: 1, method: "download", params: {uri: "", directory: "/d"}}, /uri/]
        ];
        for (const [message, pattern] of cases) {
            const {id, code, text} = invalidMessage(message);
            assert.equal(id, 1);
            assert.equal(code, "INVALID_INPUT");
            assert.match(text, pattern);
        }
    });
});
