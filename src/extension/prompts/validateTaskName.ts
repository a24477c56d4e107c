import {ConpetError} from "../../vocabulary/errors";
import {validateTaskName as checkTaskName} from "../../vocabulary/validateTask";

/** The store's rule (non-empty, at most `maxTaskNameLength` characters, no control characters) as an input box's live message: `undefined` when the name is valid. */
export function validateTaskName(name: string): string | undefined {
    try {
        checkTaskName(name);
        return undefined;
    } catch (err) {
        if (err instanceof ConpetError)
            return err.message;
        throw err;
    }
}
