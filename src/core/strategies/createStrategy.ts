import type {ConpetStrategy, StrategyContext} from "./types";
import {DynamicConpetStrategy} from "./DynamicConpetStrategy";
import {JointBaselineStrategy} from "./JointBaselineStrategy";
import {SequentialBaselineStrategy} from "./SequentialBaselineStrategy";
import {StaticConpetStrategy} from "./StaticConpetStrategy";

/** The strategy of `context.settings.mode`. */
export function createStrategy(context: StrategyContext): ConpetStrategy {
    switch (context.settings.mode) {
        case "dynamic": return new DynamicConpetStrategy(context);
        case "static": return new StaticConpetStrategy(context);
        case "sequential": return new SequentialBaselineStrategy(context);
        case "joint": return new JointBaselineStrategy(context);
    }
}
