/**
 * The chat's answers on the reference model (`answerChat`, behind VS Code's language model provider
 * and `@conpet`): before training the base model answers; after it the selector sends a message to
 * its task module (a label whole, generated text streamed), what no task claims with enough
 * probability goes to the base model, and a cancel stops the engine's work.
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {answerChat, type AnswerChatOptions} from "../../../src/core/chat/answerChat";
import {Conpet} from "../../../src/core/Conpet/Conpet";
import {ConpetError} from "../../../src/vocabulary/errors";
import type {Task} from "../../../src/vocabulary/types";
import {addSuiteTask, createCoreFixture, smallSettings, type CoreFixture} from "./coreTestFixture";

describe("answerChat on stories260K", () => {
    let fixture: CoreFixture;
    let conpet: Conpet;
    let langs: {task: Task; test: {input: string; output: string}[]};
    let camel: {task: Task; test: {input: string; output: string}[]};

    before(async () => {
        fixture = await createCoreFixture();
        langs = await addSuiteTask(fixture.store, "code-lang", "langs-1", {train: 60, test: 10});
        camel = await addSuiteTask(fixture.store, "text-transform", "snake-to-camel", {train: 60, test: 10});
        conpet = await Conpet.create({store: fixture.store, engine: fixture.engine, trainer: fixture.trainer, settings: {...smallSettings, stepsPerTask: 20, modelPath: fixture.modelPath}});
    });
    after(async () => {
        conpet?.dispose();
        await fixture?.dispose();
    });

    /** The answer and the pieces it streamed. */
    async function ask(options: Omit<AnswerChatOptions, "onText">) {
        const pieces: string[] = [];
        const answer = await answerChat(conpet, fixture.engine, {...options, onText: (piece) => pieces.push(piece)});
        return {answer, pieces};
    }

    test("before any training the routed model hands the message to the base model, and says why", async () => {
        const {answer, pieces} = await ask({target: "routed", turns: [{role: "user", text: "Once upon a time"}], maxTokens: 20});
        assert.equal(answer.prediction, null);
        assert.equal(answer.baseModelReason, "not-trained");
        assert.ok(answer.text.length > 0);
        assert.equal(pieces.join(""), answer.text);
    });

    test("after training, a message goes to its task's module: a label whole, generated text as it is written", async () => {
        await conpet.train();
        const snippet = langs.test[0]!;
        const classified = await ask({target: "routed", turns: [{role: "user", text: snippet.input}]});
        assert.equal(classified.answer.prediction?.task, "langs-1", JSON.stringify(classified.answer.routes));
        assert.ok(langs.task.labels.includes(classified.answer.text), classified.answer.text);
        assert.deepEqual(classified.pieces, [classified.answer.text]);
        assert.equal(classified.answer.routes?.[0]?.task, "langs-1");

        const identifier = camel.test[0]!;
        const generated = await ask({target: "routed", turns: [{role: "assistant", text: "earlier answer"}, {role: "user", text: identifier.input}]});
        assert.equal(generated.answer.input, identifier.input, "the last user message is the one routed");
        assert.equal(generated.answer.prediction?.task, "snake-to-camel", JSON.stringify(generated.answer.routes));
        assert.equal(generated.pieces.join(""), generated.answer.text);
        assert.equal(generated.answer.baseModelReason, null);
    });

    test("a message no task claims with minRouteProbability goes to the base model, which answers the conversation", async () => {
        const text = "Once upon a time";
        const routes = await conpet.route(text);
        assert.ok(routes !== null && routes[0]!.probability < 1, JSON.stringify(routes));
        const {answer, pieces} = await ask({target: "routed", turns: [{role: "user", text}], minRouteProbability: 1, maxTokens: 30});
        assert.equal(answer.baseModelReason, "unclaimed");
        assert.deepEqual(answer.routes, routes);
        assert.ok(answer.text.length > 0);
        assert.equal(pieces.join(""), answer.text);
    });

    test("the base model target never routes; a cancel stops its generation with CANCELLED", async () => {
        const base = await ask({target: "base", turns: [{role: "user", text: "int main(void) { return 0; }"}], maxTokens: 10});
        assert.equal(base.answer.routes, null);
        assert.equal(base.answer.baseModelReason, "requested");

        const controller = new AbortController();
        const started = answerChat(conpet, fixture.engine, {
            target: "base", turns: [{role: "user", text: "Once upon a time"}], maxTokens: 200, signal: controller.signal,
            onText: () => controller.abort()
        });
        await assert.rejects(started, (err) => ConpetError.is(err, "CANCELLED"));
        // The engine takes the next request at once.
        assert.equal((await ask({target: "base", turns: [{role: "user", text: "Hello"}], maxTokens: 5})).answer.baseModelReason, "requested");
    });

    test("a request without user text, or with a threshold outside 0 to 1, is refused", async () => {
        await assert.rejects(answerChat(conpet, fixture.engine, {target: "routed", turns: [{role: "assistant", text: "hi"}]}), /no user message/);
        await assert.rejects(answerChat(conpet, fixture.engine, {target: "routed", turns: [{role: "user", text: "hi"}], minRouteProbability: 2}), /from 0 to 1/);
    });
});
