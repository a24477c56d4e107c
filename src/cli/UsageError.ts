/** Bad command-line usage (unknown option, missing argument): the CLI prints usage and exits with 2. */
export class UsageError extends Error {
    public constructor(message: string, public readonly command?: readonly string[]) {
        super(message);
        this.name = "UsageError";
    }
}
