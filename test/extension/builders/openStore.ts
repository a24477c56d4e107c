import {ConpetStore} from "../../../src/store/ConpetStore";
import {getTestStatus} from "./testHooks";

/**
 * Opens the extension's own store (a second connection to the same SQLite file, as the CLI would)
 * to check what the commands wrote. Dispose it at the end of the test.
 */
export async function openExtensionStore(): Promise<ConpetStore> {
    const {storePath} = await getTestStatus();
    return await ConpetStore.open({directory: storePath});
}
