import assert from "node:assert/strict";
import {test} from "node:test";
import {TextStreamer} from "../../../../src/core/chat/TextStreamer";

test("TextStreamer: sends what each report adds, holds back leading and trailing blanks, and finishes with the rest", () => {
    const pieces: string[] = [];
    const streamer = new TextStreamer((piece) => pieces.push(piece));
    for (const soFar of [" ", " Once", " Once upon ", " Once upon a", " Once upon a time "])
        streamer.push(soFar);
    streamer.finish("Once upon a time, there was");
    assert.deepEqual(pieces, ["Once", " upon", " a", " time", ", there was"]);
    assert.equal(streamer.sent, "Once upon a time, there was");
});

test("TextStreamer: a whole answer at the end (a label) is sent once; a report that is not a prefix of what was sent changes nothing", () => {
    const pieces: string[] = [];
    const streamer = new TextStreamer((piece) => pieces.push(piece));
    streamer.finish("error");
    streamer.finish("error");
    assert.deepEqual(pieces, ["error"]);

    const other = new TextStreamer((piece) => pieces.push(piece));
    other.push("abc");
    other.push("xyz");
    other.finish("abd");
    assert.deepEqual(pieces, ["error", "abc"]);
});
