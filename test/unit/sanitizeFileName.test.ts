import assert from "node:assert/strict";
import {test} from "node:test";
import {sanitizeFileName} from "../../src/vocabulary/sanitizeFileName";

test("sanitizeFileName keeps safe names and letters of any script", () => {
    assert.equal(sanitizeFileName("log-level_2.v1"), "log-level_2.v1");
    assert.equal(sanitizeFileName("Résumé 日本語"), "Résumé_日本語");
});

test("sanitizeFileName removes separators, traversal, control and reserved characters", () => {
    assert.equal(sanitizeFileName("../../etc/passwd"), "etc_passwd");
    assert.equal(sanitizeFileName("a\\b:c*d?e\"f<g>h|i"), "a_b_c_d_e_f_g_h_i");
    assert.equal(sanitizeFileName("tab\there\nnewline"), "tab_here_newline");
    assert.equal(sanitizeFileName(".hidden"), "hidden");
    assert.equal(sanitizeFileName("trailing dots..."), "trailing_dots");
});

test("sanitizeFileName never returns an empty name or a Windows device name", () => {
    assert.equal(sanitizeFileName("///"), "unnamed");
    assert.equal(sanitizeFileName("", {fallback: "task"}), "task");
    assert.equal(sanitizeFileName("CON"), "_CON");
    assert.equal(sanitizeFileName("nul.txt"), "_nul.txt");
    assert.equal(sanitizeFileName("console"), "console");
});

test("sanitizeFileName cuts long names by characters, never inside a surrogate pair", () => {
    assert.equal(sanitizeFileName("x".repeat(300)).length, 80);
    const emoji = sanitizeFileName("😀".repeat(100), {maxLength: 10});
    // Emoji are not letters: they become "_", so test with a letter outside the BMP instead.
    assert.equal(emoji, "unnamed");
    const gothic = "𐌰".repeat(100);
    assert.deepEqual(Array.from(sanitizeFileName(gothic, {maxLength: 10})), Array.from("𐌰".repeat(10)));
});

test("sanitizeFileName bounds names in bytes: a valid task name of multi-byte letters still fits a Linux file name", () => {
    const threeByte = sanitizeFileName("語".repeat(100));
    assert.ok(Buffer.byteLength(threeByte) <= 120, `${Buffer.byteLength(threeByte)} bytes`);
    assert.equal(threeByte, "語".repeat(40));
    const fourByte = sanitizeFileName("𐌰".repeat(70));
    assert.equal(fourByte, "𐌰".repeat(30));
    assert.equal(sanitizeFileName("ab語", {maxBytes: 4}), "ab");
});
