import type {TestContext} from "node:test";
import {ConpetStore} from "../../../src/store/ConpetStore";
import {createTempDirectory} from "./createTempDirectory";

/** A store in a fresh temp folder, disposed (and the folder removed) when the test ends. */
export async function openTempStore(t: TestContext): Promise<ConpetStore> {
    const store = await ConpetStore.open({directory: await createTempDirectory(t)});
    t.after(() => store.dispose());
    return store;
}
