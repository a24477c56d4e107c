import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {ConpetError} from "../../src/vocabulary/errors";
import {curatedModels, findCuratedModel} from "../../src/vocabulary/curatedModels";
import {resolveDownloadUri} from "../../src/engine/process/downloadModel";

describe("model download arguments (no network)", () => {
    test("a curated id resolves to its pinned hf: URI", () => {
        for (const model of curatedModels) {
            assert.equal(resolveDownloadUri(model.id, "/models"), model.uri);
            assert.match(model.uri, /^hf:[^/]+\/[^/]+\/.+\.gguf$/);
            assert.ok(model.uri.endsWith(model.fileName));
            assert.equal(findCuratedModel(model.uri), model);
        }
        assert.equal(new Set(curatedModels.map((model) => model.id)).size, curatedModels.length);
    });

    test("hf: URIs and https URLs pass through", () => {
        assert.equal(resolveDownloadUri("hf:user/repo/file.gguf", "/m"), "hf:user/repo/file.gguf");
        assert.equal(resolveDownloadUri("https://example.com/model.gguf", "/m"), "https://example.com/model.gguf");
    });

    test("rejects empty or unsupported URIs and relative folders with INVALID_INPUT", () => {
        const cases: [string, string, RegExp][] = [
            ["", "/m", /empty/],
            ["   ", "/m", /empty/],
            ["ftp://example.com/model.gguf", "/m", /Unsupported model URI/],
            ["some-unknown-model", "/m", /Unsupported model URI/],
            ["hf:no-slash", "/m", /Unsupported model URI/],
            ["smollm2-135m", "models", /absolute path/]
        ];
        for (const [uri, directory, pattern] of cases) {
            assert.throws(() => resolveDownloadUri(uri, directory), (err: unknown) => ConpetError.is(err, "INVALID_INPUT") && pattern.test(err.message));
        }
    });
});
