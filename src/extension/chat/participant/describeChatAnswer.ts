import {defaultMinRouteProbability, type ChatAnswer} from "../../../core/chat/answerChat";
import type {RunAnswer} from "../../answers/RunAnswer";
import {escapeMarkdown} from "../../utils/escapeMarkdown";
import {formatPercent} from "../../utils/formatPercent";

/**
 * The line under a chat answer: which module answered and how sure the selector and the module
 * were, or why the base model answered instead.
 */
export function describeChatAnswer(answer: ChatAnswer, runAnswer: RunAnswer | null): string {
    if (runAnswer !== null) {
        const parts = [`answered by the **${escapeMarkdown(runAnswer.task)}** module`];
        if (runAnswer.answerProbability !== null)
            parts.push(`${formatPercent(runAnswer.answerProbability)} likely`);
        if (runAnswer.routeProbability !== null)
            parts.push(`selector ${formatPercent(runAnswer.routeProbability)} sure`);
        const others = runAnswer.routes.filter((route) => route.task !== runAnswer.task);
        if (others.length > 0)
            parts.push(`next: ${others.map((route) => `${escapeMarkdown(route.task)} ${formatPercent(route.probability)}`).join(", ")}`);
        return capitalize(parts.join(" · "));
    }
    if (answer.baseModelReason === "unclaimed") {
        const best = answer.routes?.[0];
        const claim = best === undefined ? "" : ` (the closest, **${escapeMarkdown(best.task)}**, ${formatPercent(best.probability)})`;
        return `No task claimed this message with ${formatPercent(defaultMinRouteProbability)}${claim}; the base model answered.`;
    }
    return "Nothing is trained for this model yet; the base model answered. Add examples to a task and train it.";
}

function capitalize(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
