import {formatPercent} from "../utils/formatPercent";
import type {RunAnswer} from "./RunAnswer";

/** "87% likely · routed to "log-level" (selector 95%)", or "task "log-level"" when the user named it. */
export function describeAnswer(answer: RunAnswer): string {
    const parts: string[] = [];
    if (answer.answerProbability !== null)
        parts.push(`${formatPercent(answer.answerProbability)} likely`);
    if (answer.routed)
        parts.push(`routed to "${answer.task}"${answer.routeProbability === null ? "" : ` (selector ${formatPercent(answer.routeProbability)})`}`);
    else
        parts.push(`task "${answer.task}"`);
    return parts.join("  ·  ");
}
