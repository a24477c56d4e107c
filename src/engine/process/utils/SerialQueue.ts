import {CancelledError} from "../../../vocabulary/errors";

/**
 * Runs async jobs one at a time in arrival order. The engine's model work goes through one queue:
 * a context sequence can't serve two evaluations at once, and on a CPU parallel jobs only contend
 * for the same cores. A job whose signal aborts while it waits is dropped without running.
 */
export class SerialQueue {
    private tail: Promise<unknown> = Promise.resolve();

    public run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
        const result = this.tail.then(() => {
            if (signal?.aborted)
                throw new CancelledError();
            return job();
        });
        this.tail = result.catch(() => undefined);
        return result;
    }
}
