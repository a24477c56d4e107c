import {InvalidInputError} from "../../vocabulary/errors";
import {conpetSettingsSchema, type ConpetSettings, type ConpetSettingsInput} from "./conpetSettingsSchema";
import {copySettingDefault, describeAllowedSettingValues, isAllowedSettingValue, mapSettingsSchema} from "./settingSpec";

/**
 * Fills every setting the caller left out (or `undefined`) with its default from
 * `conpetSettingsSchema`, and checks each value against its spec: `INVALID_INPUT` naming the
 * setting otherwise. The benchmark's baseline modes are accepted here, unlike in VS Code's settings.
 */
export function resolveConpetSettings(settings: ConpetSettingsInput = {}): ConpetSettings {
    return mapSettingsSchema(conpetSettingsSchema, (spec, path) => {
        const given = path.reduce<unknown>((group, name) => (group as Record<string, unknown> | undefined)?.[name], settings);
        const value = given ?? copySettingDefault(spec);
        if (!isAllowedSettingValue(spec, value, {acceptBenchmarkValues: true})) {
            const name = path.join(".");
            const expected = describeAllowedSettingValues(spec, {acceptBenchmarkValues: true});
            throw new InvalidInputError(`Setting ${name} is ${JSON.stringify(value)}; it must be ${expected}.`, {setting: name});
        }
        // The caller's lists are copied, so changing them later does not change the settings.
        return Array.isArray(value) ? [...value] : value;
    });
}
