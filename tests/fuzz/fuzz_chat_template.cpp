// tokenizer_config.json's chat_template: read, recognised by its markers and rendered natively
// (no template code ever runs) for a conversation of every role.
#include "fuzz_input.h"

#include "engine/infer/chat_template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    aqlm::fuzz::inputFile(data, size, "tokenizer_config.json");
    aqlm::fuzz::parseExpectingOnlyEngineErrors([&] {
        const std::string text = aqlm::readChatTemplate(aqlm::fuzz::scratchFolder());
        const aqlm::ChatTemplateFamily family = aqlm::detectChatTemplateFamily(text);
        for (aqlm::ChatMode mode : {aqlm::ChatMode::Chat, aqlm::ChatMode::Continue}) {
            aqlm::ChatPrompt prompt;
            prompt.mode = mode;
            prompt.systemPrompt = text.substr(0, 64);
            prompt.turns = {{aqlm::ChatRole::User, "hi"}, {aqlm::ChatRole::Assistant, text.substr(0, 32)},
                            {aqlm::ChatRole::User, "[INST] <|im_end|>"}};
            (void)aqlm::renderChatPrompt(family, prompt);
            (void)aqlm::chatStopStrings(family, mode);
        }
    });
    return 0;
}
