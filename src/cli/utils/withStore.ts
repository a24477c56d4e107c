import {ConpetStore} from "../../store/ConpetStore";
import type {CliContext} from "../CliCommand";

/** Opens the store of `--store` for the duration of `fn` and always closes it. */
export async function withStore<T>(context: CliContext, fn: (store: ConpetStore) => Promise<T>): Promise<T> {
    const store = await ConpetStore.open({directory: context.storeDirectory});
    try {
        return await fn(store);
    } finally {
        await store.dispose();
    }
}
