/**
 * Splits a byte stream into lines. A chunk may end mid-line (or mid-character: the decoder keeps
 * partial UTF-8 sequences), so the remainder waits for the next chunk.
 */
export class TrainerLineSplitter {
    private readonly _decoder = new TextDecoder("utf-8");
    private _pending = "";

    /** Returns the complete lines in `chunk` (after what was pending). */
    public push(chunk: Uint8Array): string[] {
        this._pending += this._decoder.decode(chunk, {stream: true});
        const lines = this._pending.split("\n");
        this._pending = lines.pop() ?? "";
        return lines;
    }

    /** Returns what is left once the stream ended (a last line without a newline). */
    public end(): string[] {
        this._pending += this._decoder.decode();
        const rest = this._pending;
        this._pending = "";
        return rest === "" ? [] : [rest];
    }
}
