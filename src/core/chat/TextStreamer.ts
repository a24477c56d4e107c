/**
 * Turns "the answer so far" reports into the pieces not sent yet. Answers are trimmed when they
 * are final, so leading and trailing whitespace is held back: what was sent is always a prefix of
 * the final answer, and `finish` sends the rest.
 */
export class TextStreamer {
    private _sent = "";

    public constructor(private readonly _send: (piece: string) => void) {}

    /** Everything sent so far. */
    public get sent(): string {
        return this._sent;
    }

    /** `textSoFar`: the untrimmed answer so far. Sends what it adds, up to its last non-blank character. */
    public push(textSoFar: string): void {
        this._sendUpTo(textSoFar.trimStart().trimEnd());
    }

    /** Sends the rest of the final answer; nothing when the reports went elsewhere (not a prefix of it). */
    public finish(finalText: string): void {
        this._sendUpTo(finalText);
    }

    private _sendUpTo(text: string): void {
        if (text.length <= this._sent.length || !text.startsWith(this._sent))
            return;
        const piece = text.slice(this._sent.length);
        this._sent = text;
        this._send(piece);
    }
}
