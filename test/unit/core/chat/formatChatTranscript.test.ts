import assert from "node:assert/strict";
import {test} from "node:test";
import {formatChatTranscript} from "../../../../src/core/chat/formatChatTranscript";

test("formatChatTranscript: the turns as User/Assistant lines ending where the assistant answers; empty turns are left out", () => {
    const transcript = formatChatTranscript([
        {role: "user", text: "  Tell me a story. "},
        {role: "assistant", text: "Once upon a time."},
        {role: "assistant", text: "   "},
        {role: "user", text: "Another one"}
    ]);
    assert.equal(transcript.prompt, "User: Tell me a story.\nAssistant: Once upon a time.\nUser: Another one\nAssistant:");
    // The model starting the user's next turn ends its answer.
    assert.deepEqual(transcript.stopStrings, ["\nUser:"]);
});
